using System.CommandLine;
using ClassifSae.Formats;
using ClassifSae.Pipeline;
using ClassifSae.Results;

namespace ClassifSae.Cli;

/// <summary>
/// <c>classifsae query "SQL"</c>: runs SQL on a read-only snapshot of the results store (so it never changes the store and
/// never keeps a stage waiting) and prints a table, CSV, JSON or Markdown, or writes any of those (and Parquet) to
/// <c>--output</c>. Every statement of a multi-statement string runs and is printed. <c>--write</c> opens the store itself
/// for writing (INSERT, DELETE, ...): the only way this command changes it.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("sql")
        {
            Description = "the SQL to run (tables: runs, stages, metrics, concepts, top_sentences, artefacts, reference_results; views: latest_metrics, summary, paper_table, ...); several statements separated by ';' each print their result",
        };
        var format = new Option<QueryOutputFormat>("--format") { Description = "text, csv, json, markdown or parquet (parquet needs --output; csv, json and parquet take one statement)", DefaultValueFactory = _ => QueryOutputFormat.Text };
        var output = new Option<string?>("--output", "-o") { Description = "write the result to this file instead of printing it" };
        var write = new Option<bool>("--write") { Description = "open the store for writing (INSERT, UPDATE, DELETE, DROP, COPY ... TO); without it the store is read-only" };
        var cmd = new Command("query", "run SQL on the DuckDB results store (read-only unless --write)");
        cmd.Arguments.Add(sql);
        cmd.Options.Add(format);
        cmd.Options.Add(output);
        cmd.Options.Add(write);
        cmd.Options.Add(CommonOptions.Store);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var path = Path.GetFullPath(r.GetValue(CommonOptions.Store) ?? Locations.DefaultStore());
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no results store yet (run a pipeline stage first)");
            var text = r.GetValue(sql) ?? "";
            if (string.IsNullOrWhiteSpace(text)) throw new UserError("query: the SQL is empty; give a statement, e.g. classifsae query \"SELECT * FROM runs\"");
            var target = r.GetValue(output);
            var chosen = r.GetValue(format);
            using var store = r.GetValue(write)
                ? ResultsStore.Open(path)
                : ResultsStore.OpenReadOnly(path, allowFileExport: chosen == QueryOutputFormat.Parquet);
            if (chosen == QueryOutputFormat.Parquet)
            {
                if (string.IsNullOrWhiteSpace(target)) throw new UserError("--format parquet writes a file: add --output FILE.parquet");
                var rows = store.ExportParquet(text, target);
                Console.WriteLine($"{rows} rows written to {Path.GetFullPath(target)}");
                return 0;
            }
            var results = Run(store, text);
            if (results.Count > 1 && chosen is QueryOutputFormat.Csv or QueryOutputFormat.Json)
                throw new UserError($"query: --format {chosen.ToString().ToLowerInvariant()} prints one result, but the SQL has {results.Count} statements; run them one at a time or use --format text or markdown");
            var printed = string.Join("\n", results.Select(q => q.Format(chosen switch
            {
                QueryOutputFormat.Csv => QueryResultFormat.Csv,
                QueryOutputFormat.Json => QueryResultFormat.Json,
                QueryOutputFormat.Markdown => QueryResultFormat.Markdown,
                _ => QueryResultFormat.Text,
            })));
            if (string.IsNullOrWhiteSpace(target)) Console.Write(printed);
            else AtomicFile.WriteAllText(Path.GetFullPath(target), printed);
            return 0;
        }));
        return cmd;
    }

    private static IReadOnlyList<QueryResult> Run(ResultsStore store, string sql)
    {
        try
        {
            return store.QueryAll(sql);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"query: {e.Message.Split(" (Parameter")[0]}");
        }
        catch (DuckDB.NET.Data.DuckDBException e) when (e.Message.Contains("read-only", StringComparison.OrdinalIgnoreCase)
                                                        || e.Message.Contains("external access", StringComparison.OrdinalIgnoreCase)
                                                        || e.Message.StartsWith("Permission Error", StringComparison.Ordinal))
        {
            throw new UserError($"query: {e.Message.ReplaceLineEndings(" ")} (query reads a read-only snapshot and writes no files; classifsae query --write changes the store)");
        }
    }
}

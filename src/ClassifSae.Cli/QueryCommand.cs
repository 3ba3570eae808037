using System.CommandLine;
using ClassifSae.Formats;
using ClassifSae.Pipeline;
using ClassifSae.Results;

namespace ClassifSae.Cli;

/// <summary>
/// <c>classifsae query "SQL"</c>: runs SQL on the results store and prints a table, CSV, JSON or Markdown, or writes any of
/// those (and Parquet) to <c>--output</c>.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("sql")
        {
            Description = "the SQL to run (tables: runs, stages, metrics, concepts, top_sentences, artefacts, reference_results; views: latest_metrics, summary, paper_table, ...)",
        };
        var format = new Option<QueryOutputFormat>("--format") { Description = "text, csv, json, markdown or parquet (parquet needs --output)", DefaultValueFactory = _ => QueryOutputFormat.Text };
        var output = new Option<string?>("--output", "-o") { Description = "write the result to this file instead of printing it" };
        var cmd = new Command("query", "run SQL on the DuckDB results store");
        cmd.Arguments.Add(sql);
        cmd.Options.Add(format);
        cmd.Options.Add(output);
        cmd.Options.Add(CommonOptions.Store);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var path = Path.GetFullPath(r.GetValue(CommonOptions.Store) ?? Locations.DefaultStore());
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no results store yet (run a pipeline stage first)");
            var target = r.GetValue(output);
            var chosen = r.GetValue(format);
            using var store = ResultsStore.Open(path);
            if (chosen == QueryOutputFormat.Parquet)
            {
                if (string.IsNullOrWhiteSpace(target)) throw new UserError("--format parquet writes a file: add --output FILE.parquet");
                var rows = store.ExportParquet(r.GetValue(sql)!, target);
                Console.WriteLine($"{rows} rows written to {Path.GetFullPath(target)}");
                return 0;
            }
            var text = store.Query(r.GetValue(sql)!).Format(chosen switch
            {
                QueryOutputFormat.Csv => QueryResultFormat.Csv,
                QueryOutputFormat.Json => QueryResultFormat.Json,
                QueryOutputFormat.Markdown => QueryResultFormat.Markdown,
                _ => QueryResultFormat.Text,
            });
            if (string.IsNullOrWhiteSpace(target)) Console.Write(text);
            else AtomicFile.WriteAllText(Path.GetFullPath(target), text);
            return 0;
        }));
        return cmd;
    }
}

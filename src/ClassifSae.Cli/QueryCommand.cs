using System.CommandLine;
using ClassifSae.Results;

namespace ClassifSae.Cli;

/// <summary><c>classifsae query "SQL"</c>: runs SQL on the results store and prints a table, CSV, JSON or Markdown.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("sql") { Description = "the SQL to run (tables: runs, stages, metrics; views: latest_metrics, summary)" };
        var format = new Option<QueryResultFormat>("--format") { Description = "text, csv, json or markdown", DefaultValueFactory = _ => QueryResultFormat.Text };
        var cmd = new Command("query", "run SQL on the DuckDB results store");
        cmd.Arguments.Add(sql);
        cmd.Options.Add(format);
        cmd.Options.Add(CommonOptions.Store);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var path = Path.GetFullPath(r.GetValue(CommonOptions.Store) ?? Locations.DefaultStore());
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no results store yet (run a pipeline stage first)");
            using var store = ResultsStore.Open(path);
            Console.Write(store.Query(r.GetValue(sql)!).Format(r.GetValue(format)));
            return 0;
        }));
        return cmd;
    }
}

using System.Globalization;
using ClassifSae.Results;

namespace ClassifSae.Reporting.Compile;

/// <summary>
/// What upstream's <c>python compile_results.py --model M --dataset D</c> writes after a run (spec 04 §6.6), for every newest
/// upstream-2026 run in the store: <c>compile_results/{profile}/concepts_comparison_{model}_{dataset}/seed{N}/</c> with
/// <c>concepts_metrics.json</c>, <c>metrics_table.md</c> and the <c>SentenceSim_comparison</c> figure. The folder is emptied first, as upstream deletes and recreates
/// its output folder, so a table never outlives the run it came from.
/// </summary>
public static class CompileResultsReport
{
    public const string Folder = "compile_results";

    /// <returns>the folders written, one per (profile, model, data set, seed)</returns>
    public static IReadOnlyList<string> Write(ResultsStore store, string reportFolder)
    {
        var root = Path.Combine(reportFolder, Folder);
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var runs = store.Query("""
            SELECT DISTINCT profile, run_profile, model, dataset, seed FROM latest_runs
            WHERE method_version = $version ORDER BY run_profile, model, dataset, seed
            """, new Dictionary<string, object?> { ["version"] = global::ClassifSae.Settings.MethodVersion.Upstream2026 }).Rows;
        var written = new List<string>();
        foreach (var r in runs)
        {
            var (profile, runProfile, model, dataset) = ((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!);
            var seed = Convert.ToInt64(r[4], CultureInfo.InvariantCulture);
            var folder = Path.Combine(root, runProfile, $"concepts_comparison_{model}_{dataset}", $"seed{seed}");
            var metrics = CompileResultsFiles.Read(store, profile, model, dataset, seed);
            CompileResultsFiles.Write(metrics, folder);
            SentenceSimComparisonFigure.Write(metrics, folder);
            written.Add(folder);
        }
        return written;
    }
}

using ClassifSae.Reporting.Compile;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>
/// The Report stage's compile_results folders (spec 04 §6.6): one per newest upstream-2026 run of a tiny store, with that run's
/// values and no other run's (not the paper version's of the same cell, not an older upstream run's).
/// </summary>
public sealed class CompileResultsReportTests
{
    [Fact]
    public void Each_upstream_run_gets_its_tables_and_paper_runs_none()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var t = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var paper = SampleRecords.Run("p", seed: 42, method: null, model: "tiny-neox", dataset: "planted", createdAt: t.AddHours(3));
        var oldUp = SampleRecords.Run("u0", seed: 42, method: null, model: "tiny-neox", dataset: "planted", createdAt: t) with { MethodVersion = "upstream-2026" };
        var up = SampleRecords.Run("u1", seed: 42, method: null, model: "tiny-neox", dataset: "planted", createdAt: t.AddHours(1)) with { MethodVersion = "upstream-2026" };
        foreach (var r in new[] { paper, oldUp, up }) store.RecordRun(r);
        MetricRow M(RunRecord r, string method, string metric, double v) => SampleRecords.Metric(r, metric, v, sameMethodAsRun: false, method: method);
        store.AppendMetrics([
            M(paper, "classifsae", "recovery_accuracy", 0.5),
            M(oldUp, "classifsae", "recovery_accuracy", 0.25),
            M(up, "classifsae", "recovery_accuracy", 0.96875),
            M(up, "hiconcept", "recovery_accuracy", 0.75),
            M(up, "hiconcept", "cond_tvd", 0.125),
        ]);

        var report = dir.File("report");
        // A stale folder from an earlier report is removed.
        Directory.CreateDirectory(Path.Combine(report, CompileResultsReport.Folder, "gone"));
        var written = CompileResultsReport.Write(store, report);

        var folder = Path.Combine(report, "compile_results", "smoke", "concepts_comparison_tiny-neox_planted", "seed42");
        Assert.Equal([folder], written);
        Assert.False(Directory.Exists(Path.Combine(report, CompileResultsReport.Folder, "gone")));
        var json = File.ReadAllText(Path.Combine(folder, CompileResultsFiles.MetricsFile));
        Assert.Contains("\"ClassifSAE\": 0.96875\n", json);
        Assert.Contains("\"HIConcept\": 0.75,\n", json);
        Assert.Contains("\"HIConcept\": 0.125,\n", json);
        var table = File.ReadAllText(Path.Combine(folder, CompileResultsFiles.TableFile));
        Assert.Contains("| RAcc | -- | -- | 0.750 | -- | 0.969 |", table);
        Assert.StartsWith("**Table.** Evaluation metrics for `tiny-neox` on `planted`.", table);
    }

    [Fact]
    public void A_store_without_upstream_runs_writes_nothing()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var paper = SampleRecords.Run("p", seed: 42, method: null);
        store.RecordRun(paper);
        store.AppendMetrics([SampleRecords.Metric(paper, "recovery_accuracy", 0.5, sameMethodAsRun: false, method: "classifsae")]);
        Assert.Empty(CompileResultsReport.Write(store, dir.File("report")));
        Assert.False(Directory.Exists(Path.Combine(dir.File("report"), CompileResultsReport.Folder)));
    }
}

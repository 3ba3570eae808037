using ClassifSae.Reporting;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

public class SummaryReportTests
{
    /// <summary>
    /// bert-base/classifsae: two seeds (recovery 0.8 and 0.9, reconstruction only on seed 0);
    /// bert-base classifier accuracy without a method; pythia/topk: one seed with activation rates only.
    /// </summary>
    internal static void Fill(ResultsStore store)
    {
        var s0 = SampleRecords.Run("run-s0", seed: 0, createdAt: new DateTime(2025, 1, 1, 10, 0, 0, DateTimeKind.Utc)) with
        {
            ConfigHash = "0123456789abcdef0123", GitCommit = "fedcba9876543210",
        };
        var s1 = SampleRecords.Run("run-s1", seed: 1, createdAt: new DateTime(2025, 1, 1, 11, 0, 0, DateTimeKind.Utc));
        var clf = SampleRecords.Run("run-clf", seed: 0, method: null, createdAt: new DateTime(2025, 1, 1, 9, 0, 0, DateTimeKind.Utc));
        var topk = SampleRecords.Run("run-topk", seed: 0, method: "topk_sae", model: "pythia-70m", createdAt: new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc));
        foreach (var run in new[] { s0, s1, clf, topk }) store.RecordRun(run);
        store.RecordStage(new StageRecord("run-s0", "train_sae", "succeeded", s0.CreatedAt, s0.CreatedAt.AddSeconds(12.5), 12.5));
        store.AppendMetrics([
            SampleRecords.Metric(s0, "recovery_accuracy", 0.8),
            SampleRecords.Metric(s0, "reconstruction_accuracy", 0.75),
            SampleRecords.Metric(s1, "recovery_accuracy", 0.9),
            SampleRecords.Metric(clf, "llm_accuracy_test", 0.9375),
            SampleRecords.Metric(topk, "avg_activation_rate_pct", 0.0123),
            SampleRecords.Metric(topk, "max_activation_rate_pct", 0.5),
            SampleRecords.Metric(topk, "some_other_metric", 123),
        ]);
    }

    private static string BuildMarkdown()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        Fill(store);
        return SummaryMarkdownBuilder.Build(store);
    }

    [Fact]
    public void MetricTableShowsExactNumbersMeanStdAndDashes()
    {
        var md = BuildMarkdown();
        // std of {0.8, 0.9} with n-1: sqrt(0.005) = 0.0707106..., shown with 3 decimals (ReportText.Number).
        var expected = """
            ## smoke / ag_news

            | model | method | seeds | recovery_accuracy (test) | reconstruction_accuracy (test) | avg_activation_rate_pct (test) | max_activation_rate_pct (test) | llm_accuracy_test (test) |
            | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |
            | bert-base | classifsae | 0, 1 | 0.850 ± 0.071 | 0.750 (n=1) | — | — | 0.938 (n=1) |
            | pythia-70m | topk_sae | 0 | — | — | 0.012 | 0.500 | — |

            """.ReplaceLineEndings("\n");
        Assert.Contains(expected, md);
        Assert.DoesNotContain("some_other_metric", md);
    }

    [Fact]
    public void RunsTableListsProvenance()
    {
        var md = BuildMarkdown();
        Assert.Contains("| run id | profile | model | dataset | method | seed | config hash | git commit | device | created at (UTC) |", md);
        Assert.Contains("| run-clf | smoke | bert-base | ag_news | — | 0 | hash-run-clf | abc1234 | cpu | 2025-01-01 09:00:00 |", md);
        Assert.Contains("| run-s0 | smoke | bert-base | ag_news | classifsae | 0 | 0123456789ab | fedcba987654 | cpu | 2025-01-01 10:00:00 |", md);
        Assert.True(md.IndexOf("| run-clf |", StringComparison.Ordinal) < md.IndexOf("| run-topk |", StringComparison.Ordinal));
        Assert.Contains("| run-s0 | train_sae | succeeded | 12.50 | 2025-01-01 10:00:00 |", md);
    }

    [Fact]
    public void ClassifierOnlyModelGetsItsOwnRow()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var clf = SampleRecords.Run("clf", method: null, dataset: "imdb");
        store.RecordRun(clf);
        store.AppendMetrics([SampleRecords.Metric(clf, "llm_accuracy_test", 0.91)]);
        var md = SummaryMarkdownBuilder.Build(store);
        Assert.Contains("| bert-base | — | 0 | 0.910 |", md);
    }

    [Fact]
    public void NewestRunPerSeedAndNewestFormulaAreUsed()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var old = SampleRecords.Run("old", seed: 0, createdAt: new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var rerun = SampleRecords.Run("rerun", seed: 0, createdAt: new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        var other = SampleRecords.Run("other-seed", seed: 1, createdAt: new DateTime(2025, 1, 3, 0, 0, 0, DateTimeKind.Utc));
        foreach (var r in new[] { old, rerun, other }) store.RecordRun(r);
        store.AppendMetrics([
            SampleRecords.Metric(old, "recovery_accuracy", 0.1),
            SampleRecords.Metric(rerun, "recovery_accuracy", 0.6) with { FormulaVersion = 2 },
            SampleRecords.Metric(other, "recovery_accuracy", 0.7),
        ]);
        var md = SummaryMarkdownBuilder.Build(store);
        Assert.Contains("| bert-base | classifsae | 0 | 0.600 † |", md);
        Assert.Contains("† Some seeds were measured with an older formula version", md);
    }

    [Fact]
    public void EmptyStoreSaysSo()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var md = SummaryMarkdownBuilder.Build(store);
        Assert.Contains("No metrics recorded yet.", md);
        Assert.Contains("No runs recorded yet.", md);
    }

    [Fact]
    public void WritesMarkdownAndSelfContainedHtml()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        Fill(store);
        var files = SummaryReport.Write(store, dir.File("report"));

        Assert.Equal(dir.File("report/summary.md"), files.MarkdownPath);
        Assert.Equal(SummaryMarkdownBuilder.Build(store), File.ReadAllText(files.MarkdownPath));
        var html = File.ReadAllText(files.HtmlPath);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<table>", html);
        Assert.Contains("<td>0.850 ± 0.071</td>", html.Replace(" style=\"text-align: right;\"", ""));
        Assert.Contains("<style>", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http", html);
        Assert.Empty(Directory.GetFiles(dir.File("report"), "*.tmp-*"));
    }
}

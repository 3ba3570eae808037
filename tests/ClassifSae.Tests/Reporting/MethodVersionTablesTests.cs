using System.Text;
using ClassifSae.Reporting;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>The report's side-by-side tables: one per (profile, data set, model) measured under both method versions.</summary>
public class MethodVersionTablesTests
{
    [Fact]
    public void Both_versions_of_a_cell_appear_in_one_table_and_a_cell_with_one_version_does_not()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var paper = SampleRecords.Run("p", method: "classifsae");
        var upstream = SampleRecords.Run("u", method: "classifsae", createdAt: new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)) with { MethodVersion = "upstream-2026" };
        var alone = SampleRecords.Run("a", method: "classifsae", model: "other");
        foreach (var r in new[] { paper, upstream, alone }) store.RecordRun(r);
        store.AppendMetrics([
            SampleRecords.Metric(paper, "recovery_accuracy", 0.91), SampleRecords.Metric(paper, "avg_activation_rate_pct", 27.5),
            SampleRecords.Metric(upstream, "recovery_accuracy", 0.875), SampleRecords.Metric(upstream, "avg_activation_rate_pct", 11.25),
            SampleRecords.Metric(alone, "recovery_accuracy", 0.5),
        ]);
        var sb = new StringBuilder();
        MethodVersionTables.AppendMarkdown(sb, store);
        var md = sb.ToString();
        Assert.Contains("### smoke / ag_news / bert-base\n", md);
        Assert.Contains("| classifsae | recovery_accuracy | 0.910 | 0.875 |", md);
        Assert.Contains("| classifsae | avg_activation_rate_pct | 27.50 | 11.25 |", md);
        Assert.DoesNotContain("other", md);
    }

    [Fact]
    public void A_store_with_only_the_paper_version_gets_no_section()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        SummaryReportTests.Fill(store);
        var sb = new StringBuilder();
        MethodVersionTables.AppendMarkdown(sb, store);
        Assert.Equal("", sb.ToString());
    }
}

using System.Text;
using ClassifSae.Reporting;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

public class PaperTablesTests
{
    private static string Markdown()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        PaperTableStore.Fill(store);
        var sb = new StringBuilder();
        PaperTables.AppendMarkdown(sb, store);
        return sb.ToString();
    }

    private static string Row(string md, string section, string method, string model)
    {
        var start = md.IndexOf(section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"section '{section}' missing:\n{md}");
        var end = md.IndexOf("\n### ", start + 1, StringComparison.Ordinal);
        var text = end < 0 ? md[start..] : md[start..end];
        return text.Split('\n').Single(l => l.StartsWith($"| {method} | {model} |", StringComparison.Ordinal));
    }

    [Fact]
    public void OurMeanAndStdStandBesideThePublishedOnes()
    {
        var md = Markdown();
        var row = Row(md, "### ag_news (profile paper)", "ClassifSAE", "pythia-70m");
        var cells = row.Split(" | ");
        // RAcc: ours mean ± std over seeds 42/43, then the authors' (0.97605…, 0.97526…).
        Assert.Equal("0.960 ± 0.014 (0.976 ± 5.58e-4)", cells[2]);
        // Activation rate: not measured by us, published by the authors.
        Assert.StartsWith("— (", cells[3]);
        Assert.NotEqual("— (—)", cells[3]);
        // SentenceSim(1): one seed of ours (no ±), beside the published value.
        Assert.StartsWith("0.120 (", cells[7]);
    }

    [Fact]
    public void MissingCellsShowDashNeverZero()
    {
        var md = Markdown();
        // SAE: one seed, no std.
        Assert.StartsWith("| SAE | pythia-70m | 0.990 (", Row(md, "### ag_news (profile paper)", "SAE", "pythia-70m"));
        // Only our models are rows: the paper's other models (not run here) are not listed.
        Assert.DoesNotContain("| pythia-1b |", md);
        // Our own data set has no published numbers: it says so, and cells show ours alone.
        Assert.Contains("### planted (profile smoke)\n\nNo published numbers for this model and data", md);
        var smoke = Row(md, "### planted (profile smoke)", "ClassifSAE", "tiny-neox");
        Assert.Equal("| ClassifSAE | tiny-neox | 0.900 | 12.50 | — | — | — | — |", smoke);
        Assert.Equal("| ICA | tiny-neox | — | — | — | — | — | — |", Row(md, "### planted (profile smoke)", "ICA", "tiny-neox"));
        Assert.DoesNotContain(" 0 (", md);
        // The paper's other data set, not run here, is not shown at all.
        Assert.DoesNotContain("imdb", md);
    }

    [Fact]
    public void TheStoreViewHoldsBothSides()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        PaperTableStore.Fill(store);
        var r = store.Query("""
            SELECT ours_n, ours_mean, paper_n, round(paper_mean, 6) FROM paper_table
            WHERE profile = 'paper' AND model = 'pythia-70m' AND method = 'classifsae' AND metric = 'recovery_accuracy'
            """).Rows.Single();
        Assert.Equal((2L, 0.96, 2L, 0.975658), (Convert.ToInt64(r[0]), Math.Round(Convert.ToDouble(r[1]), 10), Convert.ToInt64(r[2]), Convert.ToDouble(r[3])));
    }
}

using System.Text;
using ClassifSae.Reporting;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>
/// The report shows published numbers only beside cells whose model and data set are the published ones, found from the
/// run's configuration (model path, data-set hub id), not from the profile's key names (issue 18, items 1 and 8).
/// </summary>
public class PublishedNumbersMatchTests
{
    private static RunRecord Run(string id, string model, string dataset, string config) =>
        SampleRecords.Run(id, seed: 1, method: null, model: model, dataset: dataset, profile: "mine", createdAt: new DateTime(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc))
            with { ConfigJson = config };

    private static string Markdown(params (RunRecord Run, double Racc)[] runs)
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        foreach (var (run, racc) in runs)
        {
            store.RecordRun(run);
            store.AppendMetrics([SampleRecords.Metric(run, "recovery_accuracy", racc, sameMethodAsRun: false, method: "classifsae")]);
        }
        var sb = new StringBuilder();
        PaperTables.AppendMarkdown(sb, store);
        return sb.ToString();
    }

    private static string Row(string md, string prefix) => md.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public void A_cell_whose_model_path_and_hub_id_are_published_shows_those_numbers()
    {
        // Keys unlike the paper's; the path and hub id say pythia-410m on AG News.
        var md = Markdown((Run("r1", "p410", "news", """
            {"models": {"p410": {"source": "hf", "path": "EleutherAI/pythia-410m"}},
             "datasets": {"news": {"source": "files", "hub_id": "fancyzhx/ag_news"}}}
            """), 0.5));
        Assert.Contains("In brackets: p410: published pythia-410m on ag_news.", md);
        // Authors' recovery accuracy for pythia-410m / AG News, seeds 42 and 43: 0.99105263…, 0.99223684… → mean 0.99164, std 8.37e-4.
        var cells = Row(md, "| ClassifSAE | p410 |").Split(" | ");
        Assert.Equal("0.500 (0.992 ± 8.37e-4)", cells[2]);
        Assert.DoesNotContain("No published numbers", md);
        // Only the run's data set: no published-only sections for the paper's others.
        Assert.DoesNotContain("imdb", md);
        Assert.DoesNotContain("pythia-70m", md);
    }

    [Fact]
    public void Own_data_on_a_published_model_shows_no_published_numbers_and_says_so()
    {
        // The model is the paper's (path), the data are not (no hub id; key "emails").
        var md = Markdown((Run("r2", "pythia-70m", "emails", """
            {"models": {"pythia-70m": {"source": "hf", "path": "EleutherAI/pythia-70m"}},
             "datasets": {"emails": {"source": "files", "train": "mail/train.csv"}}}
            """), 0.75));
        Assert.Contains("### emails (profile mine)\n\nNo published numbers for this model and data", md);
        Assert.Equal("| ClassifSAE | pythia-70m | 0.750 | — | — | — | — | — |", Row(md, "| ClassifSAE | pythia-70m |"));
        Assert.DoesNotContain("ag_news", md);
        Assert.DoesNotContain("0.976", md);
    }

    [Fact]
    public void A_key_named_like_the_paper_but_another_model_path_does_not_match()
    {
        var md = Markdown((Run("r3", "pythia-70m", "ag_news", """
            {"models": {"pythia-70m": {"source": "hf", "path": "/models/my-bert"}},
             "datasets": {"ag_news": {"source": "files", "hub_id": "fancyzhx/ag_news"}}}
            """), 0.75));
        Assert.Contains("No published numbers for this model and data", md);
        Assert.Equal("| ClassifSAE | pythia-70m | 0.750 | — | — | — | — | — |", Row(md, "| ClassifSAE | pythia-70m |"));
    }

    [Theory]
    [InlineData("tiny", "planted", """{"models": {"tiny": {"source": "scratch"}}, "datasets": {"planted": {"source": "planted"}}}""", "tiny", "planted")]
    [InlineData("m", "d", """{"models": {"m": {"path": "EleutherAI/pythia-1b/"}}, "datasets": {"d": {"hub_id": "stanfordnlp/imdb"}}}""", "pythia-1b", "imdb")]
    [InlineData("m", "d", """not json""", "m", "d")]
    public void Names_come_from_path_and_hub_id_else_the_keys(string model, string dataset, string config, string expectedModel, string expectedDataset) =>
        Assert.Equal((expectedModel, expectedDataset), PublishedCells.Names(model, dataset, config));
}

using ClassifSae.Evaluation.Interpretability;
using ClassifSae.Reporting;
using ClassifSae.Results;
using ClassifSae.Tests.Results;
using SkiaSharp;

namespace ClassifSae.Tests.Reporting;

/// <summary>
/// Word clouds of the concept keywords (spec 04 §6.5) as PNG images: their size, that words are drawn and where, and the report's
/// copies linked from concepts.html for a run whose Evaluate wrote concept cards.
/// </summary>
public sealed class ConceptWordCloudTests
{
    private static (int Width, int Height, int Ink) Decode(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var ink = 0;
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
                if (bitmap.GetPixel(x, y) != SKColors.White) ink++;
        return (bitmap.Width, bitmap.Height, ink);
    }

    [Fact]
    public void A_word_cloud_is_an_800_by_400_png_with_every_word_drawn_larger_for_larger_scores()
    {
        var (png, words) = WordCloudImage.Render([("goal", 0.9), ("match", 0.45), ("team", 0.3), ("late", 0.1)]);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        var (w, h, ink) = Decode(png);
        Assert.Equal((800, 400), (w, h));
        Assert.True(ink > 2000, $"only {ink} non-white pixels");
        Assert.Equal(["goal", "match", "team", "late"], words.Select(p => p.Word));
        Assert.True(words[0].FontSize > words[3].FontSize, $"{words[0].FontSize} vs {words[3].FontSize}");
        for (var i = 1; i < words.Count; i++) Assert.True(words[i].FontSize <= words[i - 1].FontSize);
        // No two words overlap, and all lie inside the image.
        for (var i = 0; i < words.Count; i++)
        {
            Assert.True(words[i].Box.Left >= 0 && words[i].Box.Right <= 800 && words[i].Box.Top >= 0 && words[i].Box.Bottom <= 400);
            for (var k = i + 1; k < words.Count; k++) Assert.False(words[i].Box.IntersectsWith(words[k].Box), $"{words[i].Word} overlaps {words[k].Word}");
        }
        // The pixels under the largest word carry ink.
        using var bitmap = SKBitmap.Decode(png);
        var b = words[0].Box;
        var under = 0;
        for (var y = (int)b.Top; y < (int)b.Bottom; y++)
            for (var x = (int)b.Left; x < (int)b.Right; x++)
                if (bitmap.GetPixel(x, y) != SKColors.White) under++;
        Assert.True(under > 500, $"{under} inked pixels under '{words[0].Word}'");
    }

    [Fact]
    public void No_keywords_give_a_blank_image_rather_than_an_error()
    {
        var (png, words) = WordCloudImage.Render([]);
        Assert.Empty(words);
        Assert.Equal((800, 400, 0), Decode(png));
    }

    [Fact]
    public void The_report_renders_each_cards_word_cloud_and_links_it_from_the_concept_browser()
    {
        using var dir = new TempFolder();
        var runs = dir.File("runs");
        var rel = "smoke/tiny-neox/planted/seed42/evaluate-upstream-2026/hiconcept/16/test/interpretability";
        var cards = new List<ConceptCards.Card>
        {
            new(5, "Sports", 0.25, 0.5, [new("goal", 0.8), new("match", 0.4)], [new("a goal", 1.5)]),
        };
        ConceptCards.Write(Path.Combine(runs, rel), cards);
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var run = SampleRecords.Run("u", seed: 42, method: null, model: "tiny-neox", dataset: "planted") with { MethodVersion = "upstream-2026" };
        store.RecordRun(run);
        store.ReplaceArtefacts("u", "evaluate", [new ArtefactRecord("u", "evaluate", $"{rel}/{ConceptCards.KeywordsFile}", 10, "x")]);
        store.ReplaceConcepts("u", "hiconcept", [new ConceptRecord("u", "hiconcept", 5, 16, true, SegmentClass: 0, SegmentClassName: "Sports", SegmentRank: 0, ActivationRatePct: 25.0)], []);

        var report = dir.File("report");
        var files = SummaryReport.Write(store, report, runs);

        var html = File.ReadAllText(files.ConceptsPath);
        var img = System.Text.RegularExpressions.Regex.Match(html, "<img src=\"([^\"]+)\"").Groups[1].Value;
        Assert.EndsWith("/hiconcept/Concept_5_Category_Sports.png", img);
        Assert.Contains("alt=\"word cloud: goal, match\"", html);
        var (w, h, ink) = Decode(File.ReadAllBytes(Path.Combine(report, img)));
        Assert.Equal((800, 400), (w, h));
        Assert.True(ink > 1000);
        Assert.StartsWith("Activation rate of the concept : 0.2500", File.ReadAllText(Path.Combine(report, img[..^4] + ".txt")));
    }
}

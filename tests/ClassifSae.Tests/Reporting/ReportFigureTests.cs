using System.Text.RegularExpressions;
using ClassifSae.Reporting;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>The report's causality, confusion and comparison charts and the concept browser, drawn from the store's rows.</summary>
public class ReportFigureTests
{
    internal static SummaryReportFiles Write(TempFolder dir)
    {
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        ReportFiguresStore.Fill(store);
        return SummaryReport.Write(store, Path.Combine(dir.Path, "report"));
    }

    /// <summary>The figure marked data-chart="<paramref name="id"/>".</summary>
    private static string Figure(string html, string id)
    {
        var m = Regex.Match(html, $"<figure data-chart=\"{Regex.Escape(id)}\">(.*?)</figure>", RegexOptions.Singleline);
        Assert.True(m.Success, $"no figure {id}");
        return m.Groups[1].Value;
    }

    [Fact]
    public void Causality_is_drawn_per_class_and_share_and_per_concept()
    {
        using var dir = new TempFolder();
        var html = File.ReadAllText(Write(dir).HtmlPath);
        var shares = Figure(html, "causality-share-smoke-tiny-neox-planted-seed-1-classifsae");
        Assert.Contains(">alpha</text>", shares);   // a line per class, named by the class
        Assert.Contains(">beta</text>", shares);
        Assert.Contains(">mean over classes</text>", shares);
        Assert.Equal(2 * 4 + 4, Regex.Matches(shares, "<circle").Count);  // 4 shares × (2 classes + mean)
        Assert.Contains("causality-share-smoke-tiny-neox-planted-seed-1-sae", html);

        var effects = Figure(html, "concept-effects-smoke-tiny-neox-planted-seed-1-classifsae");
        // Sorted by effect, labelled with the value, coloured by segment class (alpha = palette 0, beta = palette 1).
        Assert.Equal(["#0", "#1", "#2"], Regex.Matches(effects, @">(#\d+)</text>").Select(m => m.Groups[1].Value));
        Assert.Contains(">0.625</text>", effects);
        Assert.Contains("fill=\"#636EFA\" fill-opacity=\"0.8\"><title>label-flip rate · #0: 0.625</title>", effects);
        Assert.Contains("fill=\"#EF553B\" fill-opacity=\"0.8\"><title>label-flip rate · #1: 0.500</title>", effects);
    }

    [Fact]
    public void Confusion_matrices_and_the_method_comparison_are_drawn()
    {
        using var dir = new TempFolder();
        var html = File.ReadAllText(Write(dir).HtmlPath);
        var classifier = Figure(html, "confusion-smoke-tiny-neox-planted-seed-1-classifier");
        Assert.Contains("<title>true alpha, predicted beta: 1 (12.50 % of the row)</title>", classifier);
        Assert.Contains("<title>true beta, predicted beta: 7 (87.50 % of the row)</title>", classifier);
        Assert.Contains("<title>true beta, predicted alpha: 0 (0 % of the row)</title>", Figure(html, "confusion-smoke-tiny-neox-planted-seed-1-classifsae"));

        var comparison = Figure(html, "comparison-smoke-tiny-neox-planted");
        Assert.Contains("<title>ClassifSAE · RAcc: 0.960</title>", comparison);
        Assert.Contains("<title>SAE · RAcc: 0.810</title>", comparison);
        Assert.Contains("<title>ClassifSAE · flip, 100 % ablated: 0.750</title>", comparison);
        Assert.Contains("<title>SAE · Δf_cond: 0.150</title>", comparison);
        Assert.DoesNotContain("ConceptSim: ", comparison);  // not measured: no bar, never 0
    }

    [Fact]
    public void The_concept_browser_has_a_card_per_selected_concept_with_its_effect_and_sentences()
    {
        using var dir = new TempFolder();
        var files = Write(dir);
        var page = File.ReadAllText(files.ConceptsPath);
        Assert.Equal(3, Regex.Matches(page, "<article class=\"concept\"").Count);
        Assert.Contains("<article class=\"concept\" id=\"concept-smoke-tiny-neox-planted-seed-1-classifsae-0\" data-method=\"classifsae\" data-class=\"alpha\">", page);
        Assert.Contains("label-flip rate 0.625 (TVD 0.400) over 8 active sentences", page);
        Assert.Contains("the goalkeeper saved it", page);
        Assert.Contains("<option value=\"beta\">beta</option>", page);
        Assert.DoesNotContain("http", page);
        Assert.DoesNotMatch(new Regex(@"<(link|img|iframe|object|embed)\b|<script\s+src", RegexOptions.IgnoreCase), page);
        // Each card with stored bins draws them: log-scaled heights (64 px for the tallest bin, 10 sentences): 1 + 3 → 64 · log 4 / log 11 = 37.
        var first = Card(page, "concept-smoke-tiny-neox-planted-seed-1-classifsae-0");
        Assert.Contains("<svg class=\"activation-histogram\" data-sentences=\"14\" data-bins=\"4\"", first);
        Assert.Equal(["64", "0", "37", "18.5"], Regex.Matches(first, "<rect [^>]*height=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains("<title>2.000 to 3.000: 3 sentences</title>", first);
        Assert.Contains("activation over 14 test sentences", first);
        Assert.Contains("data-sentences=\"10\" data-bins=\"2\"", Card(page, "concept-smoke-tiny-neox-planted-seed-1-classifsae-1"));
        Assert.DoesNotContain("activation-histogram", Card(page, "concept-smoke-tiny-neox-planted-seed-1-classifsae-2"));
        // The report links each concept to its card there.
        var html = File.ReadAllText(files.HtmlPath);
        Assert.Contains("<a href=\"concepts.html#concept-smoke-tiny-neox-planted-seed-1-classifsae-2\">#2</a>", html);
    }

    private static string Card(string page, string id)
    {
        var start = page.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no card {id}");
        return page[start..page.IndexOf("</article>", start, StringComparison.Ordinal)];
    }
}

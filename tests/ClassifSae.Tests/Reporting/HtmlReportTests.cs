using System.Text.RegularExpressions;
using ClassifSae.Reporting;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

public class HtmlReportTests
{
    internal static string WriteReport(TempFolder dir)
    {
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        PaperTableStore.Fill(store);
        return SummaryReport.Write(store, Path.Combine(dir.Path, "report")).HtmlPath;
    }

    [Fact]
    public void TheReportIsOneSelfContainedFile()
    {
        using var dir = new TempFolder();
        var html = File.ReadAllText(WriteReport(dir));

        Assert.StartsWith("<!DOCTYPE html>", html);
        // Nothing to fetch at view time: no scripts, style sheets, images, frames or fonts from elsewhere, no URL at all.
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotMatch(new Regex(@"<(script|link|img|iframe|object|embed)\b", RegexOptions.IgnoreCase), html);
        // Links go to anchors in the page or to the concept browser beside it, never elsewhere.
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*""(?!#|concepts\.html)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", html);
    }

    [Fact]
    public void TheReportHasTablesFiguresAndAPagePerConcept()
    {
        using var dir = new TempFolder();
        var html = File.ReadAllText(WriteReport(dir));

        Assert.Contains("id=\"paper-tables\"", html);
        Assert.Contains("0.960 ± 0.014 (0.976 ± 5.58e-4)", html);
        Assert.Contains("<h2 id=\"activation-rates\">", html);
        Assert.Contains("Activation rate per concept — classifsae", html);
        Assert.Contains("SentenceSim(k) — pythia-70m / ag_news", html);
        Assert.Contains("Concept directions — classifsae, tiny-neox / planted", html);
        Assert.True(Regex.Matches(html, "<svg class=\"plot\"").Count >= 3);

        // One card per selected concept in the concept browser, linked from the report's index; the top sentences are escaped.
        var browser = File.ReadAllText(Path.Combine(Path.GetDirectoryName(WriteReport(dir))!, "concepts.html"));
        Assert.Contains("<article class=\"concept\" id=\"concept-smoke-tiny-neox-planted-seed-1-classifsae-0\"", browser);
        Assert.Contains("<a href=\"concepts.html#concept-smoke-tiny-neox-planted-seed-1-classifsae-0\">#0</a>", html);
        Assert.Contains("<article class=\"concept\" id=\"concept-smoke-tiny-neox-planted-seed-1-classifsae-1\"", browser);
        Assert.DoesNotContain("id=\"concept-smoke-tiny-neox-planted-seed-1-classifsae-2\"", browser); // not selected
        Assert.Contains("the &lt;alpha&gt; &amp; sentence", browser);
        Assert.DoesNotContain("the &lt;alpha&gt; &amp; sentence", html);   // sentences live in the browser, not in the report
        // The runs had no curve files on disk: the report says so instead of drawing nothing.
        Assert.Contains("No training curve recorded yet", html);
        foreach (Match m in Regex.Matches(html, "href=\"#([^\"]+)\""))
            Assert.Contains($"id=\"{m.Groups[1].Value}\"", html);
        foreach (Match m in Regex.Matches(html, "href=\"concepts.html#([^\"]+)\""))
            Assert.Contains($"id=\"{m.Groups[1].Value}\"", browser);
    }

    [Fact]
    public void AnEmptyStoreStillGivesAReport()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var files = SummaryReport.Write(store, dir.Path);
        var html = File.ReadAllText(files.HtmlPath);
        Assert.Contains("No concepts recorded yet", html);
        // Published numbers appear only beside cells we measured (issue 18): none here.
        Assert.Contains("No comparable numbers in the store", html);
        Assert.DoesNotContain("ag_news", html);
    }
}

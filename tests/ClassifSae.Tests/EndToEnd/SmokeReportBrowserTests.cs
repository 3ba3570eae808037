using System.Text.RegularExpressions;
using ClassifSae.Concepts;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Results;
using ClassifSae.Tests.Reporting;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>
/// The smoke run's report and concept browser, opened in headless Chromium: no console errors, every chart the report
/// promises is in the rendered page for every method, and the browser's filter script ran over every selected concept.
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed class SmokeReportBrowserTests(SmokeRun run)
{
    private string ReportDir => ReportStage.OutputDir(run.Context);

    [ChromiumFact]
    public void The_report_renders_every_chart_without_console_errors()
    {
        var profileDir = Path.Combine(run.Root, "chromium-report");
        var page = HeadlessChromium.DumpDom(profileDir, new Uri(Path.Combine(ReportDir, "summary.html")).AbsoluteUri);
        Assert.True(page.ConsoleLines.Count == 0, "console output:\n" + string.Join("\n", page.ConsoleLines));

        var charts = Regex.Matches(page.Dom, "<figure data-chart=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Single(charts, c => c.StartsWith("comparison-smoke-", StringComparison.Ordinal));
        Assert.Single(charts, c => Regex.IsMatch(c, "^confusion-smoke-.*-classifier$"));
        Assert.Single(charts, c => Regex.IsMatch(c, "^curve-smoke-.*-finetune$"));
        foreach (var method in run.Context.Profile.Methods)
        {
            Assert.Single(charts, c => Regex.IsMatch(c, $"^causality-share-smoke-.*-{method}$"));
            Assert.Single(charts, c => Regex.IsMatch(c, $"^concept-effects-smoke-.*-{method}$"));
            Assert.Single(charts, c => Regex.IsMatch(c, $"^confusion-smoke-.*-{method}$"));
            if (method != "ica") // ICA has no training loop
                Assert.Single(charts, c => Regex.IsMatch(c, $"^curve-smoke-.*-train-{method}$"));
        }
        // Every chart has drawn data.
        Assert.DoesNotContain(">no data</text>", page.Dom);
    }

    [ChromiumFact]
    public void The_concept_browser_lists_every_selected_concept_and_its_filter_runs_without_console_errors()
    {
        long selected;
        using (var store = ResultsStore.Open(run.Context.StorePath))
            selected = Convert.ToInt64(store.Query("SELECT count(*) FROM concepts WHERE selected AND run_id IN (SELECT run_id FROM latest_runs)").Rows[0][0]);
        Assert.True(selected > 0);
        var url = new Uri(Path.Combine(ReportDir, "concepts.html")).AbsoluteUri;

        var page = HeadlessChromium.DumpDom(Path.Combine(run.Root, "chromium-concepts"), url);
        Assert.True(page.ConsoleLines.Count == 0, "console output:\n" + string.Join("\n", page.ConsoleLines));
        Assert.Equal(selected, Regex.Matches(page.Dom, "<article class=\"concept\"").Count);
        Assert.Contains($"<span id=\"f-count\">{selected} of {selected} concepts shown</span>", page.Dom);

        var sae = HeadlessChromium.DumpDom(Path.Combine(run.Root, "chromium-concepts-sae"), url + "?method=sae");
        var shown = Regex.Matches(sae.Dom, "<article class=\"concept\"[^>]*>").Count(m => !m.Value.Contains(" hidden", StringComparison.Ordinal));
        Assert.True(shown > 0 && shown < selected, $"{shown} of {selected} shown for method sae");
        Assert.All(Regex.Matches(sae.Dom, "<article class=\"concept\"[^>]*>").Where(m => !m.Value.Contains(" hidden", StringComparison.Ordinal)),
            m => Assert.Contains("data-method=\"sae\"", m.Value));
    }
}

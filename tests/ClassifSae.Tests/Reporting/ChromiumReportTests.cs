using System.Text.RegularExpressions;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>Loads the HTML report and the concept browser in headless Chromium: they render with no console errors, and the browser's filter runs.</summary>
public class ChromiumReportTests
{
    [ChromiumFact]
    public void TheReportRendersWithoutConsoleErrors()
    {
        using var dir = new TempFolder();
        var html = HtmlReportTests.WriteReport(dir);
        var url = new Uri(html).AbsoluteUri;
        var png = dir.File("report.png");

        var shot = HeadlessChromium.Run(dir.File("profile-shot"), "--enable-logging=stderr", "--v=0", "--window-size=1280,2000", $"--screenshot={png}", url);
        Assert.True(File.Exists(png), $"no screenshot (exit {shot.Exit}):\n{shot.Stderr}");
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 1000, $"screenshot is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        // To look at it: CLASSIFSAE_KEEP_REPORT=<folder> keeps the report and its screenshot there.
        if (Environment.GetEnvironmentVariable("CLASSIFSAE_KEEP_REPORT") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(png, Path.Combine(keep, "report.png"), overwrite: true);
            File.Copy(html, Path.Combine(keep, "summary.html"), overwrite: true);
        }
        var consoleLines = HeadlessChromium.ConsoleLines(shot.Stderr);
        Assert.True(consoleLines.Count == 0, "console output:\n" + string.Join("\n", consoleLines));

        // The DOM chromium built holds the report (it parsed the whole file).
        var dom = HeadlessChromium.Run(dir.File("profile-dom"), "--dump-dom", url);
        Assert.Contains("href=\"concepts.html#concept-smoke-tiny-neox-planted-seed-1-classifsae-0\"", dom.Stdout);
        Assert.Contains("<svg", dom.Stdout);
    }

    [ChromiumFact]
    public void TheConceptBrowserFiltersByMethodClassAndWordWithoutConsoleErrors()
    {
        using var dir = new TempFolder();
        var files = ReportFigureTests.Write(dir);
        var url = new Uri(files.ConceptsPath).AbsoluteUri;

        var all = HeadlessChromium.DumpDom(dir.File("profile-all"), url);
        Assert.True(all.ConsoleLines.Count == 0, "console output:\n" + string.Join("\n", all.ConsoleLines));
        Assert.Contains("<span id=\"f-count\">3 of 3 concepts shown</span>", all.Dom);   // written by the page's script
        Assert.DoesNotContain(" hidden", Cards(all.Dom));
        // The activation histograms are in the DOM Chromium built, with their bars (4 and 2 bins over 14 and 10 sentences).
        var histograms = Regex.Matches(all.Dom, "<svg class=\"activation-histogram\" data-sentences=\"(\\d+)\" data-bins=\"(\\d+)\"[^>]*>(.*?)</svg>");
        Assert.Equal(["14/4", "10/2"], histograms.Select(m => $"{m.Groups[1].Value}/{m.Groups[2].Value}"));
        Assert.All(histograms, m => Assert.Equal(int.Parse(m.Groups[2].Value), Regex.Matches(m.Groups[3].Value, "<rect ").Count));

        var beta = HeadlessChromium.DumpDom(dir.File("profile-beta"), url + "?class=beta");
        Assert.Contains("<span id=\"f-count\">2 of 3 concepts shown</span>", beta.Dom);
        Assert.Matches("id=\"concept-smoke-tiny-neox-planted-seed-1-classifsae-0\"[^>]*hidden", beta.Dom);

        var word = HeadlessChromium.DumpDom(dir.File("profile-word"), url + "?q=GOALKEEPER");
        Assert.Contains("<span id=\"f-count\">1 of 3 concepts shown</span>", word.Dom);
        Assert.DoesNotMatch("id=\"concept-smoke-tiny-neox-planted-seed-1-classifsae-0\"[^>]*hidden", word.Dom);

        var both = HeadlessChromium.DumpDom(dir.File("profile-both"), url + "?method=classifsae&class=alpha&q=shares");
        Assert.Contains("<span id=\"f-count\">0 of 3 concepts shown</span>", both.Dom);
    }

    private static string Cards(string dom) => string.Join("\n", Regex.Matches(dom, "<article [^>]*>").Select(m => m.Value));
}

using System.Diagnostics;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>Loads the HTML report in headless Chromium: it must render (a non-empty PNG screenshot) with no console errors.</summary>
public class ChromiumReportTests
{
    private static (int Exit, string Stdout, string Stderr) Chromium(string profileDir, params string[] args)
    {
        var psi = new ProcessStartInfo(ChromiumFactAttribute.Executable!)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={profileDir}",
                 }.Concat(args))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 120 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [ChromiumFact]
    public void TheReportRendersWithoutConsoleErrors()
    {
        using var dir = new TempFolder();
        var html = HtmlReportTests.WriteReport(dir);
        var url = new Uri(html).AbsoluteUri;
        var png = dir.File("report.png");

        var shot = Chromium(dir.File("profile-shot"), "--enable-logging=stderr", "--v=0", "--window-size=1280,2000", $"--screenshot={png}", url);
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
        // Page console messages are logged as "CONSOLE(line)" / ":CONSOLE" lines; errors as "Uncaught" or failed loads.
        var consoleLines = shot.Stderr.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)
                                                              || l.Contains("net::ERR_", StringComparison.Ordinal)).ToList();
        Assert.True(consoleLines.Count == 0, "console output:\n" + string.Join("\n", consoleLines));

        // The DOM chromium built holds the report (it parsed the whole file).
        var dom = Chromium(dir.File("profile-dom"), "--dump-dom", url);
        Assert.Contains("id=\"concept-smoke-tiny-neox-planted-seed-1-classifsae-0\"", dom.Stdout);
        Assert.Contains("<svg", dom.Stdout);
    }
}

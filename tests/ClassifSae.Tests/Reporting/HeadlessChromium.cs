using System.Diagnostics;

namespace ClassifSae.Tests.Reporting;

/// <summary>
/// Opens a page in headless Chromium (<see cref="ChromiumFactAttribute.Executable"/>) and returns the DOM after its scripts
/// ran, with the page's console messages (Chromium logs them to stderr as "CONSOLE" lines; an uncaught error as "Uncaught").
/// </summary>
internal static class HeadlessChromium
{
    public sealed record Page(string Dom, IReadOnlyList<string> ConsoleLines, string Stderr);

    public static Page DumpDom(string profileDir, string url, params string[] extra)
    {
        var (exit, stdout, stderr) = Run(profileDir, ["--enable-logging=stderr", "--v=0", .. extra, "--dump-dom", url]);
        Assert.True(exit == 0 && stdout.Length > 0, $"chromium exited {exit} without a DOM:\n{stderr}");
        return new Page(stdout, ConsoleLines(stderr), stderr);
    }

    public static (int Exit, string Stdout, string Stderr) Run(string profileDir, params string[] args)
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
        // A guard against a hung browser, not a speed check: on 2 cores shared with the parallel smoke and Slurm runs a
        // dump of the concept browser has taken over 120 s (29 s on a quiet machine).
        if (!p.WaitForExit(TimeSpan.FromSeconds(400)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 400 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Page console output and load failures; Chromium's own start-up noise is not included.</summary>
    public static IReadOnlyList<string> ConsoleLines(string stderr) =>
        stderr.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)
                                      || l.Contains("net::ERR_", StringComparison.Ordinal)).ToList();
}

namespace ClassifSae.Tests.Reporting;

/// <summary>
/// A fact that needs Debian's headless Chromium (<c>/usr/bin/chromium</c>, installed by the Test target's
/// build/native/ensure-test-browser.sh). Without it the test is reported as skipped, with the reason — never as passed.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>The browser to use: <c>CLASSIFSAE_CHROMIUM</c> if set, else /usr/bin/chromium; null when absent.</summary>
    public static string? Executable
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("CLASSIFSAE_CHROMIUM");
            if (string.IsNullOrWhiteSpace(path)) path = DefaultPath;
            return File.Exists(path) ? path : null;
        }
    }

    public ChromiumFactAttribute()
    {
        if (Executable is null)
            Skip = $"Chromium not found at {DefaultPath} (install Debian's chromium, or run ./build.sh --target Test as root, which installs it)";
    }
}

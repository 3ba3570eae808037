using System.Diagnostics;

namespace ClassifSae.Tests.Cli;

/// <summary>Runs the built <c>classifsae</c> CLI (copied next to the tests) as a separate process.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Output);

    /// <summary>Exit 1 and one line "error: …" containing <paramref name="expected"/>: no stack trace, no native message.</summary>
    public static void AssertOneLineError(Result r, string expected)
    {
        Assert.Equal(1, r.ExitCode);
        var lines = r.Output.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("error:", lines[0]);
        Assert.Contains(expected, r.Output.ReplaceLineEndings(" "));
        Assert.DoesNotContain("   at ", r.Output);
        Assert.DoesNotContain("External component", r.Output);
    }

    public static Result Run(string workingDir, params string[] args) => Run(workingDir, new Dictionary<string, string>(), args);

    public static Result Run(string workingDir, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run(workingDir, environment, TimeSpan.FromMinutes(2), args);

    public static Result Run(string workingDir, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "classifsae.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"classifsae did not finish in {timeout}"); }
        return new Result(p.ExitCode, stdout.Result + stderr.Result);
    }
}

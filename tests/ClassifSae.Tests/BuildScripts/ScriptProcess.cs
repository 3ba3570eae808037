using System.Diagnostics;

namespace ClassifSae.Tests.BuildScripts;

/// <summary>Runs one of the repository's bash scripts with extra environment variables.</summary>
internal static class ScriptProcess
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string script, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException($"{script} did not finish in 2 minutes"); }
        return new Result(p.ExitCode, stdout.Result + stderr.Result);
    }
}

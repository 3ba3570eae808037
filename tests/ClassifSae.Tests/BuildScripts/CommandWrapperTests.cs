using System.Diagnostics;

namespace ClassifSae.Tests.BuildScripts;

/// <summary>The build writes ./classifsae at the repository root; it runs the CLI from any folder and passes arguments and the exit code through.</summary>
public sealed class CommandWrapperTests
{
    private static (int Exit, string Output) Run(string workingDir, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "classifsae"))
        {
            WorkingDirectory = workingDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(120)), "classifsae did not finish");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void The_wrapper_runs_the_cli_from_another_folder()
    {
        if (OperatingSystem.IsWindows()) return;   // the wrapper is a POSIX shell script
        var (exit, output) = Run(Path.GetTempPath(), "query", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--format", output);
        var bad = Run(Path.GetTempPath(), "run", "--profile", "smoke", "--profiles-dir", RepoPaths.Profiles, "--set", "classif_sae.kk=3");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("kk", bad.Output);
    }
}

using System.Diagnostics;

namespace ClassifSae.Tests.BuildScripts;

/// <summary>
/// A misspelt build argument (<c>--profil paper --methdos sae</c>) once ran the smoke profile with every method
/// (issue 12, item 9). Cake's <c>--description</c> evaluates the script (and so the argument check) but runs no task.
/// </summary>
public sealed class CakeArgumentsTests
{
    [Fact]
    public void MisspeltArguments_AreAnError_NamingThemAndTheKnownOnes()
    {
        var r = Cake("--description", "--profil", "paper", "--methdos", "sae");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("unknown arguments --profil, --methdos", r.Output);
        Assert.Contains("--profile", r.Output.Split("known:")[1]);
        Assert.Contains("--methods", r.Output.Split("known:")[1]);
    }

    [Fact]
    public void KnownArguments_AreAccepted()
    {
        var r = Cake("--description", "--profile", "smoke", "--methods", "sae", "--dry-run", "--force", "--torch-backend=cpu", "--verbosity=quiet");
        Assert.True(r.ExitCode == 0, r.Output);
    }

    // build.sh restores the Cake tool before running it; a plain `dotnet test` on a fresh clone has not.
    private static readonly Lazy<ScriptProcess.Result> ToolRestore = new(() => Dotnet("tool", "restore"));

    private static ScriptProcess.Result Cake(params string[] args)
    {
        Assert.True(ToolRestore.Value.ExitCode == 0, ToolRestore.Value.Output);
        return Dotnet(new[] { "cake", "build/build.cake" }.Concat(args).ToArray());
    }

    private static ScriptProcess.Result Dotnet(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(4))) { p.Kill(true); throw new TimeoutException("dotnet cake did not finish in 4 minutes"); }
        return new ScriptProcess.Result(p.ExitCode, stdout.Result + stderr.Result);
    }
}

using System.Diagnostics;
using System.Text.Json;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Tests.EndToEnd;

namespace ClassifSae.Tests.Examples;

/// <summary>
/// Issue 13's acceptance on the smoke run: the plain SAE's z_class (evaluate/sae/&lt;n&gt;/selected_features.json) is the
/// one scikit-learn's LogisticRegressionCV(saga) selects from the same run's cache and SAE (build/tools/check_sae_selection.py).
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed class SklearnSelectionTests(SmokeRun run)
{
    [SklearnFact]
    public void The_plain_sae_selection_equals_scikit_learns_on_the_smoke_cache()
    {
        var runDir = Path.GetDirectoryName(run.Context.StageDir(StageNames.Train, run.Key))!;
        var psi = new ProcessStartInfo(PythonFactAttribute.Interpreter,
            [Path.Combine(RepoPaths.Root, "build", "tools", "check_sae_selection.py"), runDir]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr);
        var json = JsonDocument.Parse(stdout.Result).RootElement;
        int[] Ints(string name) => json.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(16, Ints("sklearn_top").Length);
        Assert.Equal(Ints("sklearn_selected"), Ints("evaluate_selected"));
    }
}

/// <summary>A fact that needs Debian's python3 with scikit-learn (installed by the Test target); skipped, with the reason, without it.</summary>
public sealed class SklearnFactAttribute : FactAttribute
{
    private static readonly bool Available = Probe();

    public SklearnFactAttribute()
    {
        if (!Available) Skip = $"{PythonFactAttribute.Interpreter} with scikit-learn not found (apt-get install python3-sklearn, or run ./build.sh --target Test as root)";
    }

    private static bool Probe()
    {
        if (!File.Exists(PythonFactAttribute.Interpreter)) return false;
        using var p = Process.Start(new ProcessStartInfo(PythonFactAttribute.Interpreter, ["-c", "import sklearn"]) { RedirectStandardError = true });
        p!.WaitForExit();
        return p.ExitCode == 0;
    }
}

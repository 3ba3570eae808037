using ClassifSae.Tests.Cli;
using Xunit.Abstractions;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>
/// <c>classifsae run --profile smoke --method-version upstream-2026</c> (what <c>./build.sh --target Reproduce --profile smoke
/// --method-version upstream-2026</c> runs) trains and evaluates all five methods, HI-Concept included, beside the paper's
/// folders. Sizes are cut with <c>--set</c> so a shared 2-core machine runs it in a few minutes: this checks the switch and
/// the method list, not what the methods learn (the full smoke tests do that).
/// </summary>
public sealed class UpstreamSmokeMethodsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upstream-smoke-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_upstream_version_of_the_smoke_run_trains_and_evaluates_all_five_methods()
    {
        string[] small =
        [
            "datasets.planted.train_size=240", "datasets.planted.test_size=96",
            "fine_tune.pretrain_steps=20", "fine_tune.steps=20", "fine_tune.warmup_steps=2",
            "classif_sae.steps=40", "classif_sae.batch_size=100",
            "concept_shap.epochs=2", "hi_concept.epochs=2", "ica.max_iterations=50",
        ];
        var args = new List<string> { "run", "--profile", "smoke", "--profiles-dir", RepoPaths.Profiles, "--method-version", "upstream-2026",
            "--runs-dir", Path.Combine(_dir, "runs"), "--store", Path.Combine(_dir, "results.duckdb"), "--until", "evaluate" };
        foreach (var s in small) args.AddRange(["--set", s]);
        var r = CliProcess.Run(_dir, new Dictionary<string, string>(), TimeSpan.FromMinutes(20), [.. args]);
        output.WriteLine(r.Output);
        Assert.Equal(0, r.ExitCode);

        var seed = Path.Combine(_dir, "runs", "smoke", "tiny-neox", "planted", "seed42");
        string[] five = ["classifsae", "conceptshap", "hiconcept", "ica", "sae"];
        // Every trained method has its method.json (other folders, e.g. tensorboard/, are not methods).
        Assert.Equal(five, Directory.GetDirectories(Path.Combine(seed, "train-upstream-2026"))
            .Where(d => File.Exists(Path.Combine(d, "method.json"))).Select(Path.GetFileName).Order());
        // Evaluate wrote every method's results, under the upstream folder only (the paper's Train/Evaluate did not run).
        foreach (var m in five)
            Assert.Contains(Directory.GetFiles(Path.Combine(seed, "evaluate-upstream-2026"), "metrics.json", SearchOption.AllDirectories),
                f => f.Replace('\\', '/').Contains($"/{m}/", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(seed, "train")));
    }
}

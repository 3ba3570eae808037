using ClassifSae.Tests.Cli;
using ClassifSae.Tests.EndToEnd;

namespace ClassifSae.Tests.Slurm;

/// <summary>The smoke grid submitted as sbatch jobs (afterok chain) to a real one-node cluster.</summary>
[Collection(SmokeCollection.Name)]
public sealed class SlurmPipelineTests(SmokeRun local) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slurm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SlurmFact]
    public void The_smoke_grid_through_sbatch_gives_the_same_metrics_as_the_local_run()
    {
        var store = Path.Combine(_dir, "results.duckdb");
        var r = CliProcess.Run(_dir, new Dictionary<string, string>(), TimeSpan.FromMinutes(30), "run", "--scheduler", "slurm", "--wait",
            "--profile", "smoke", "--profiles-dir", RepoPaths.Profiles, "--runs-dir", Path.Combine(_dir, "runs"), "--store", store);
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Contains("COMPLETED", r.Output);
        var ours = StoredMetrics.All(store);
        var reference = StoredMetrics.All(local.Context.StorePath);
        Assert.Equal(reference.Keys.Order(), ours.Keys.Order());
        foreach (var (k, v) in reference) Assert.True(v.Equals(ours[k]), $"{k}: local {v}, slurm {ours[k]}");
        Assert.True(File.Exists(Path.Combine(_dir, "runs", "smoke", "report", "summary.html")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dir, "runs", "smoke", "slurm", "logs"), "*.out"));
    }
}

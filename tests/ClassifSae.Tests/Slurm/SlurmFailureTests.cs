using ClassifSae.Tests.Cli;

namespace ClassifSae.Tests.Slurm;

/// <summary>Failures on the cluster are reported, not hidden, and stop the jobs that depend on them.</summary>
public sealed class SlurmFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slurm-fail-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SlurmFact]
    public void A_failing_job_cancels_its_dependants_and_is_reported()
    {
        var profile = Path.Combine(_dir, "nan.json");
        File.WriteAllText(profile, """
            { "name": "nan", "models": { "m": { "hidden_size": 16, "num_layers": 2, "num_heads": 2, "intermediate_size": 32 } },
              "datasets": { "d": { "train_size": 24, "test_size": 12 } }, "methods": ["classifsae"],
              "fine_tune": { "pretrain_steps": 3, "pretrain_learning_rate": 1e30, "steps": 2, "batch_size": 4, "max_length": 128 } }
            """);
        var r = CliProcess.Run(_dir, new Dictionary<string, string>(), TimeSpan.FromMinutes(10), "run", "--scheduler", "slurm", "--wait",
            "--profile", profile, "--runs-dir", Path.Combine(_dir, "runs"), "--store", Path.Combine(_dir, "s.duckdb"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("FAILED", r.Output);
        Assert.Contains("CANCELLED", r.Output);
        Assert.Contains("did not complete", r.Output);
        var log = Directory.GetFiles(Path.Combine(_dir, "runs", "nan", "slurm", "logs"), "classifsae-nan-finetune-*.out").Single();
        Assert.Contains("the loss became", File.ReadAllText(log));
    }

    [SlurmFact]
    public void A_job_killed_by_its_time_limit_is_reported_and_leaves_no_valid_output()
    {
        var profile = Path.Combine(_dir, "slow.json");
        File.WriteAllText(profile, """
            { "name": "slow", "models": { "m": { "hidden_size": 16, "num_layers": 2, "num_heads": 2, "intermediate_size": 32 } },
              "datasets": { "d": { "train_size": 24, "test_size": 12 } }, "methods": ["classifsae"],
              "fine_tune": { "pretrain_steps": 10000000, "steps": 2, "batch_size": 4, "max_length": 128 },
              "slurm": { "stages": { "finetune": { "time": "00:01:00", "memory": "2G" } } } }
            """);
        var runs = Path.Combine(_dir, "runs");
        var r = CliProcess.Run(_dir, new Dictionary<string, string>(), TimeSpan.FromMinutes(10), "run", "--scheduler", "slurm", "--wait", "--until", "cache",
            "--profile", profile, "--runs-dir", runs, "--store", Path.Combine(_dir, "s.duckdb"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("TIMEOUT", r.Output);
        Assert.Contains("CANCELLED", r.Output);
        // The killed stage left at most a temporary folder, never a completed one.
        var cell = Path.Combine(runs, "slow", "m", "d", "seed42");
        Assert.False(File.Exists(Path.Combine(cell, "finetune", "manifest.json")));
    }
}

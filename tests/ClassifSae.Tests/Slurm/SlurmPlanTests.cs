using ClassifSae.Tests.Cli;

namespace ClassifSae.Tests.Slurm;

/// <summary>The job graph, printed with --dry-run (no cluster needed).</summary>
public sealed class SlurmPlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Dry_run_prints_one_job_per_stage_and_cell_chained_along_the_stage_graph()
    {
        var r = CliProcess.Run(_dir, "run", "--scheduler", "slurm", "--dry-run", "--profile", "smoke", "--profiles-dir", RepoPaths.Profiles,
            "--runs-dir", _dir, "--seeds", "1,2");
        Assert.Equal(0, r.ExitCode);
        var headers = r.Output.Split('\n').Where(l => l.StartsWith("# ---- ", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, headers.Count);   // 4 stages × 2 seeds + report
        Assert.Contains("# ---- classifsae-smoke-cache-tiny-neox-planted-s2 (after: classifsae-smoke-finetune-tiny-neox-planted-s2)", headers);
        Assert.Contains("# ---- classifsae-smoke-report (after: classifsae-smoke-evaluate-tiny-neox-planted-s1, classifsae-smoke-evaluate-tiny-neox-planted-s2)", headers);
        Assert.Contains("#SBATCH --cpus-per-task=", r.Output);
        Assert.Contains("finetune --models 'tiny-neox' --datasets 'planted' --seeds 2", r.Output);
    }
}

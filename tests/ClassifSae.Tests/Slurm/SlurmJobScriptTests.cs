using ClassifSae.Tests.Cli;

namespace ClassifSae.Tests.Slurm;

/// <summary>
/// What each job script says (issue 12, item 8), read from --dry-run (no cluster needed): GPU jobs run on CUDA, the
/// profile's set-up lines and extra #SBATCH options are in place, --methods reaches the Train and Evaluate jobs, and a dry run needs no
/// model or data files. Also: `status` on a machine without a cluster is one clear line.
/// </summary>
public sealed class SlurmJobScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slurm-scripts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>No model in any cache and no data: the dry run must still print the plan.</summary>
    private Dictionary<string, string> Offline => new() { ["HF_HOME"] = Path.Combine(_dir, "hf"), ["HF_HUB_OFFLINE"] = "1" };

    [Fact]
    public void Gpu_jobs_run_on_cuda_with_the_methods_given_and_the_dry_run_needs_no_model_or_data()
    {
        var r = CliProcess.Run(_dir, Offline, "run", "--scheduler", "slurm", "--dry-run", "--profile", "paper", "--profiles-dir", RepoPaths.Profiles,
            "--runs-dir", _dir, "--data-dir", Path.Combine(_dir, "no-data"), "--models", "pythia-70m", "--datasets", "ag_news", "--methods", "sae,ica");
        Assert.True(r.ExitCode == 0, r.Output);
        var jobs = Jobs(r.Output);
        Assert.Equal(5, jobs.Count);
        foreach (var stage in new[] { "finetune", "cache", "train", "evaluate" })
        {
            var script = jobs[$"classifsae-paper-{stage}-pythia-70m-ag_news-s42"];
            Assert.Contains("#SBATCH --gres=gpu:1", script);
            Assert.Contains(" --device cuda ", script);
            // Only the stages that train or evaluate concept methods take --methods (issue 18: each command only the options it reads).
            Assert.Equal(stage is "train" or "evaluate", script.Contains(" --methods 'sae,ica'", StringComparison.Ordinal));
        }
        var report = jobs["classifsae-paper-report"];
        Assert.DoesNotContain("--gres", report);
        Assert.DoesNotContain(" --device ", report);
        Assert.DoesNotContain(" --methods ", report);
    }

    [Fact]
    public void Setup_lines_and_extra_sbatch_options_from_the_profile_are_in_every_job_script()
    {
        var profile = WriteSmokeProfile(
            "\"setup\": [\"module load cuda/12.1\", \"export HF_HOME=/scratch/hf\"], \"extra_options\": [\"--qos=normal\"],",
            "\"extra_options\": [\"--constraint=a100\"],");
        var r = CliProcess.Run(_dir, "run", "--scheduler", "slurm", "--dry-run", "--profile", profile, "--runs-dir", _dir);
        Assert.True(r.ExitCode == 0, r.Output);
        var jobs = Jobs(r.Output);
        var train = jobs["classifsae-smoke-train-tiny-neox-planted-s42"].Split('\n');
        int Line(string prefix) => Array.FindIndex(train, l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(Line("#SBATCH --time=") < Line("#SBATCH --qos=normal"));
        Assert.True(Line("#SBATCH --qos=normal") < Line("#SBATCH --constraint=a100"));
        Assert.True(Line("#SBATCH --constraint=a100") < Line("set -eo pipefail"));
        Assert.Equal(Line("set -eo pipefail") + 1, Line("module load cuda/12.1"));
        Assert.Equal(Line("module load cuda/12.1") + 1, Line("export HF_HOME=/scratch/hf"));
        Assert.Equal(Line("export HF_HOME=/scratch/hf") + 1, Line("set -u"));
        Assert.Equal(Line("set -u") + 1, Line("exec "));
        var cache = jobs["classifsae-smoke-cache-tiny-neox-planted-s42"];
        Assert.Contains("#SBATCH --qos=normal", cache);
        Assert.Contains("module load cuda/12.1", cache);
        Assert.DoesNotContain("--constraint=a100", cache);   // the train stage's option only
        Assert.Contains(" --device cpu ", cache);           // the smoke profile asks for no GPU
    }

    [Fact]
    public void An_extra_option_that_is_not_an_sbatch_option_is_one_line_naming_the_key()
    {
        var profile = WriteSmokeProfile("\"extra_options\": [\"qos=normal\"],", "");
        var r = CliProcess.Run(_dir, "run", "--scheduler", "slurm", "--dry-run", "--profile", profile, "--runs-dir", _dir);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: slurm.extra_options[0]: expected an sbatch option such as \"--qos=normal\" or \"--constraint=a100\", got \"qos=normal\"", r.Output.Trim());
    }

    [Fact]
    public void Status_without_a_reachable_cluster_is_one_clear_line()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var squeue = Path.Combine(bin, "squeue");
        File.WriteAllText(squeue, "#!/bin/sh\necho 'squeue: error: resolve_ctls_from_dns_srv: res_nsearch error: Unknown host' >&2\n" +
                                  "echo 'squeue: error: fetch_config: DNS SRV lookup failed' >&2\necho 'squeue: fatal: Could not establish a configuration source' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(squeue, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var store = Path.Combine(_dir, "store.duckdb");

        var failing = CliProcess.Run(_dir, new Dictionary<string, string> { ["PATH"] = bin }, "status", "--profile", "smoke", "--store", store);
        Assert.Equal(1, failing.ExitCode);
        Assert.Equal("error: no Slurm cluster reachable (squeue exit 1: squeue: error: resolve_ctls_from_dns_srv: res_nsearch error: Unknown host); "
                     + "classifsae status lists a profile's Slurm jobs; run it where sbatch/squeue work (the results store: classifsae query)", failing.Output.Trim());

        var missing = CliProcess.Run(_dir, new Dictionary<string, string> { ["PATH"] = Path.Combine(_dir, "empty") }, "status", "--profile", "smoke", "--store", store);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: no Slurm cluster: squeue is not on PATH;", missing.Output.Trim());
        Assert.DoesNotContain('\n', missing.Output.Trim());
    }

    /// <summary>smoke.json with text inserted at the start of its slurm section and of its train stage's resources.</summary>
    private string WriteSmokeProfile(string slurmKeys, string trainKeys)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Profiles, "smoke.json"));
        Assert.Contains("\"slurm\": {", text);
        Assert.Contains("\"train\": { \"cpus\"", text);
        text = text.Replace("\"slurm\": {", "\"slurm\": { " + slurmKeys).Replace("\"train\": { \"cpus\"", "\"train\": { " + trainKeys + " \"cpus\"");
        var path = Path.Combine(_dir, "custom.json");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The dry run's scripts by job name.</summary>
    private static Dictionary<string, string> Jobs(string output)
    {
        var jobs = new Dictionary<string, string>();
        foreach (var block in output.Split("# ---- ").Skip(1))
            jobs[block[..block.IndexOf(' ')]] = block;
        return jobs;
    }
}

using System.Text;

namespace ClassifSae.Pipeline.Slurm;

/// <summary>
/// Turns a pipeline invocation into sbatch jobs: one per (stage, model, data set, seed), chained with
/// <c>afterok</c> along the <see cref="StageRegistry"/> graph, plus one job for a stage that runs once (Report) after all its
/// upstream jobs. Each job runs the same <c>classifsae</c> sub-command as a local run, restricted to its cell, so results
/// are identical. A job runs on the device its resources give it: <c>cuda</c> where the stage asks for GPUs, else <c>cpu</c>
/// (the submitting machine's device says nothing about the nodes').
/// </summary>
public static class SlurmPlanner
{
    /// <param name="Methods">The <c>--methods</c> given to the submitting command (null: the profile's), passed to every job.</param>
    public sealed record Invocation(string CliCommand, string ProfileArg, string ProfilesDir, string RunsDir, string StorePath,
        string DataDir, bool Force, string LogDir, string? Methods = null, string? MethodVersion = null);

    public static List<SlurmJob> Plan(RunContext ctx, IReadOnlyList<long> seeds, IReadOnlyList<string> stages, Invocation inv)
    {
        SlurmScriptOptions.Validate(ctx.Profile.Slurm);
        var jobs = new List<SlurmJob>();
        // Job names per stage, so a job waits (afterok) for the jobs of its upstream stages that are part of this plan.
        var byStage = new Dictionary<string, List<(PipelineKey Key, long Seed, string Name)>>();
        foreach (var stage in StageRegistry.InOrder(stages))
        {
            var planned = byStage[stage.Name] = [];
            if (!stage.PerCell)
            {
                var name = $"classifsae-{ctx.Profile.Name}-{stage.Name}";
                var after = Waits(stage, byStage).SelectMany(u => byStage[u]).Select(j => j.Name).ToList();
                jobs.Add(new SlurmJob(name, stage.Name, Script(ctx, stage.Name, name, stage.Name, inv), after));
                planned.Add((new PipelineKey("", ""), 0, name));
                continue;
            }
            foreach (var seed in seeds)
                foreach (var key in ctx.Keys())
                {
                    var name = $"classifsae-{ctx.Profile.Name}-{stage.Name}-{key.Model}-{key.Dataset}-s{seed}";
                    var args = $"{stage.Name} --models {Q(key.Model)} --datasets {Q(key.Dataset)} --seeds {seed}";
                    var after = Waits(stage, byStage)
                        .SelectMany(u => byStage[u].Where(j => j.Key == key && j.Seed == seed)).Select(j => j.Name).ToList();
                    jobs.Add(new SlurmJob(name, stage.Name, Script(ctx, stage.Name, name, args, inv), after));
                    planned.Add((key, seed, name));
                }
        }
        return jobs;
    }

    /// <summary>The planned upstream stages a stage's job waits for, less those another of them already waits for (afterok is transitive).</summary>
    private static List<string> Waits(StageDefinition stage, Dictionary<string, List<(PipelineKey Key, long Seed, string Name)>> planned)
    {
        var direct = stage.Upstream.Where(planned.ContainsKey).ToList();
        return direct.Where(u => !direct.Any(other => other != u && StageRegistry.UpTo(other).Any(s => s.Name == u))).ToList();
    }

    private static string Script(RunContext ctx, string stage, string name, string stageArgs, Invocation inv)
    {
        var r = ctx.Profile.Slurm.For(stage);
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/bash");
        sb.AppendLine($"#SBATCH --job-name={name}");
        sb.AppendLine($"#SBATCH --output={Path.Combine(inv.LogDir, "%x-%j.out")}");
        sb.AppendLine($"#SBATCH --cpus-per-task={r.Cpus}");
        sb.AppendLine($"#SBATCH --mem={r.Memory}");
        sb.AppendLine($"#SBATCH --time={r.Time}");
        if (r.Gpus > 0) sb.AppendLine($"#SBATCH --gres=gpu:{r.Gpus}");
        if (ctx.Profile.Slurm.Partition is { } p) sb.AppendLine($"#SBATCH --partition={p}");
        if (ctx.Profile.Slurm.Account is { } a) sb.AppendLine($"#SBATCH --account={a}");
        foreach (var option in ctx.Profile.Slurm.ExtraOptions.Concat(r.ExtraOptions)) sb.AppendLine($"#SBATCH {option}");
        // Set-up lines run without -u: environment-module scripts read unset variables.
        sb.AppendLine(ctx.Profile.Slurm.Setup.Count > 0 ? "set -eo pipefail" : "set -euo pipefail");
        foreach (var line in ctx.Profile.Slurm.Setup) sb.AppendLine(line);
        if (ctx.Profile.Slurm.Setup.Count > 0) sb.AppendLine("set -u");
        sb.AppendLine($"exec {inv.CliCommand} {stageArgs}{Options(StageRegistry.Get(stage), r, inv)}");
        return sb.ToString();
    }

    /// <summary>The options the stage's command takes (<see cref="StageInputs"/>): a job never passes one the command would refuse.</summary>
    private static string Options(StageDefinition stage, SlurmResources r, Invocation inv)
    {
        var sb = new StringBuilder($" --profile {Q(inv.ProfileArg)} --profiles-dir {Q(inv.ProfilesDir)} --runs-dir {Q(inv.RunsDir)} --store {Q(inv.StorePath)}");
        if (StageInputs.ReadsDataFiles(stage)) sb.Append($" --data-dir {Q(inv.DataDir)}");
        if (StageInputs.Computes(stage)) sb.Append($" --device {(r.Gpus > 0 ? "cuda" : "cpu")} --threads {r.Cpus}");
        if (StageInputs.ReadsMethods(stage) && inv.Methods is { } m) sb.Append($" --methods {Q(m)}");
        if (StageInputs.ReadsMethodVersion(stage) && inv.MethodVersion is { } v) sb.Append($" --method-version {Q(v)}");
        if (StageInputs.Computes(stage) && inv.Force) sb.Append(" --force");
        return sb.ToString();
    }

    private static string Q(string s) => "'" + s.Replace("'", "'\\''") + "'";
}

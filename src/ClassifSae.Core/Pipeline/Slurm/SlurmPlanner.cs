using System.Text;
using ClassifSae.Pipeline.Stages;

namespace ClassifSae.Pipeline.Slurm;

/// <summary>
/// Turns a pipeline invocation into sbatch jobs: one per (stage, model, data set, seed), chained with
/// <c>afterok</c> along the stage graph, plus one Report job after every Evaluate. Each job runs the same
/// <c>classifsae</c> sub-command as a local run, restricted to its cell, so results are identical. A job runs on the
/// device its resources give it: <c>cuda</c> where the stage asks for GPUs, else <c>cpu</c> (the submitting machine's
/// device says nothing about the nodes').
/// </summary>
public static class SlurmPlanner
{
    /// <param name="Methods">The <c>--methods</c> given to the submitting command (null: the profile's), passed to every job.</param>
    public sealed record Invocation(string CliCommand, string ProfileArg, string ProfilesDir, string RunsDir, string StorePath,
        string DataDir, bool Force, string LogDir, string? Methods = null);

    private static readonly string[] PerCell = [StageNames.FineTune, StageNames.Cache, StageNames.Train, StageNames.Evaluate];

    public static List<SlurmJob> Plan(RunContext ctx, IReadOnlyList<long> seeds, IReadOnlyList<string> stages, Invocation inv)
    {
        SlurmScriptOptions.Validate(ctx.Profile.Slurm);
        var jobs = new List<SlurmJob>();
        var evaluates = new List<string>();
        foreach (var seed in seeds)
            foreach (var key in ctx.Keys())
            {
                string? previous = null;
                foreach (var stage in PerCell.Where(stages.Contains))
                {
                    var name = $"classifsae-{ctx.Profile.Name}-{stage}-{key.Model}-{key.Dataset}-s{seed}";
                    var args = $"{stage} --models {Q(key.Model)} --datasets {Q(key.Dataset)} --seeds {seed}";
                    jobs.Add(new SlurmJob(name, stage, Script(ctx, stage, name, args, inv), previous is null ? [] : [previous]));
                    previous = name;
                    if (stage == StageNames.Evaluate) evaluates.Add(name);
                }
            }
        if (stages.Contains(StageNames.Report))
        {
            var name = $"classifsae-{ctx.Profile.Name}-report";
            jobs.Add(new SlurmJob(name, StageNames.Report, Script(ctx, StageNames.Report, name, "report", inv), evaluates));
        }
        return jobs;
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
        sb.AppendLine($"exec {inv.CliCommand} {stageArgs} --profile {Q(inv.ProfileArg)} --profiles-dir {Q(inv.ProfilesDir)} " +
                      $"--runs-dir {Q(inv.RunsDir)} --store {Q(inv.StorePath)} --data-dir {Q(inv.DataDir)} --device {(r.Gpus > 0 ? "cuda" : "cpu")} " +
                      $"--threads {r.Cpus}{(inv.Methods is { } m ? $" --methods {Q(m)}" : "")}{(inv.Force ? " --force" : "")}");
        return sb.ToString();
    }

    private static string Q(string s) => "'" + s.Replace("'", "'\\''") + "'";
}

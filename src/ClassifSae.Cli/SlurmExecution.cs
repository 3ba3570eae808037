using System.CommandLine;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Slurm;
using ClassifSae.Runtime;

namespace ClassifSae.Cli;

/// <summary><c>--scheduler slurm</c>: the same stages as sbatch jobs chained with afterok, one per cell.</summary>
internal static class SlurmExecution
{
    public static int Execute(ParseResult r, IReadOnlyList<string> stages)
    {
        // The submitting machine's device is irrelevant (jobs get theirs from their resources), so it is not resolved here:
        // `--device cuda` must not fail on a login node without a GPU.
        // The jobs read the profile file themselves; a --set would be lost on the way, so it is refused rather than ignored.
        if (CommonOptions.Value(r, CommonOptions.Set, []) is { Length: > 0 })
            throw new UserError("--set is not passed to Slurm jobs; put the keys in a profile file (--profile path/to/profile.json) for --scheduler slurm");
        var ctx = ContextFactory.Create(r, SilentProgress.Instance, resolveDevice: false);
        var seeds = ContextFactory.Seeds(r, ctx);
        var profileArg = r.GetValue(CommonOptions.Profile)!;
        var inv = new SlurmPlanner.Invocation(
            CliCommand: $"dotnet '{Path.Combine(AppContext.BaseDirectory, "classifsae.dll")}'",
            ProfileArg: File.Exists(profileArg) ? Path.GetFullPath(profileArg) : profileArg,
            ProfilesDir: Path.GetFullPath(r.GetValue(CommonOptions.ProfilesDir) ?? Locations.ProfilesDir()),
            RunsDir: ctx.RunsDir, StorePath: ctx.StorePath, DataDir: ctx.DataDir, Force: ctx.Force,
            LogDir: Path.Combine(ctx.RunsDir, ctx.Profile.Name, "slurm", "logs"), Methods: CommonOptions.Value(r, CommonOptions.Methods, null),
            MethodVersion: CommonOptions.Value(r, CommonOptions.MethodVersion, null));
        var jobs = SlurmPlanner.Plan(ctx, seeds, stages, inv);
        if (r.GetValue(CommonOptions.DryRun))
        {
            foreach (var job in jobs)
            {
                Console.WriteLine($"# ---- {job.Name} (after: {(job.DependsOn.Count == 0 ? "-" : string.Join(", ", job.DependsOn))})");
                Console.Write(job.Script);
            }
            return 0;
        }
        // Only a real submission needs the models and data: a dry run prints the plan on any machine.
        if (stages.Contains(Pipeline.Stages.StageNames.FineTune)) Preflight.Check(ctx);
        Results.StoreWritable.Require(ctx.StorePath);
        Directory.CreateDirectory(inv.LogDir);
        SlurmSubmitter.Submit(jobs, Path.Combine(ctx.RunsDir, ctx.Profile.Name, "slurm", "scripts"), Console.WriteLine);
        if (!r.GetValue(CommonOptions.Wait)) return 0;
        var states = SlurmSubmitter.Wait(jobs, TimeSpan.FromHours(48), Console.WriteLine);
        foreach (var (name, state) in states) Console.WriteLine($"{state,-12} {name}");
        var failed = states.Where(s => s.Value != "COMPLETED").ToList();
        if (failed.Count == 0) return 0;
        Console.Error.WriteLine($"error: {failed.Count} Slurm job(s) did not complete: {string.Join(", ", failed.Select(f => $"{f.Key} ({f.Value})"))}; logs in {inv.LogDir}");
        return 1;
    }
}

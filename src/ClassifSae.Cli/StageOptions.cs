using System.CommandLine;
using ClassifSae.Pipeline;

namespace ClassifSae.Cli;

/// <summary>
/// The options of each stage command, from what the stage reads (<see cref="StageInputs"/>, which the Slurm planner's job
/// lines follow too): <c>classifsae report --help</c> lists no --device or --seeds, and an option a command would ignore is
/// refused as unknown instead.
/// </summary>
internal static class StageOptions
{
    public static IReadOnlyList<Option> For(StageDefinition stage)
    {
        var options = new List<Option> { CommonOptions.Profile };
        if (StageInputs.ReadsProfileKeys(stage)) options.Add(CommonOptions.Set);
        if (StageInputs.ReadsMethodVersion(stage)) options.Add(CommonOptions.MethodVersion);
        if (StageInputs.ReadsMethods(stage)) options.Add(CommonOptions.Methods);
        if (StageInputs.Computes(stage)) options.AddRange([CommonOptions.Device, CommonOptions.Threads, CommonOptions.Force]);
        options.AddRange([CommonOptions.RunsDir, CommonOptions.Store, CommonOptions.ProfilesDir]);
        if (StageInputs.Computes(stage)) options.AddRange([CommonOptions.Models, CommonOptions.Datasets, CommonOptions.Seeds]);
        if (StageInputs.ReadsDataFiles(stage)) options.Add(CommonOptions.DataDir);
        options.AddRange([CommonOptions.Scheduler, CommonOptions.DryRun, CommonOptions.Wait]);
        return options;
    }

    /// <summary><c>run</c> runs every stage, so it takes every stage's options.</summary>
    public static IReadOnlyList<Option> ForAllStages() =>
        StageRegistry.All.SelectMany(For).Distinct().ToList();

    public static void AddTo(Command command, IEnumerable<Option> options)
    {
        foreach (var o in options) command.Options.Add(o);
    }
}

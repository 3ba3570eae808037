namespace ClassifSae.Pipeline;

/// <summary>
/// Which invocation inputs (beyond the profile, the runs folder and the store) a stage reads: the CLI gives each stage
/// command only these options and the Slurm planner passes each job only these, so the two cannot disagree.
/// </summary>
public static class StageInputs
{
    /// <summary>A per-cell stage computes on one (model, data set, seed): it takes the grid selection, device, threads and --force.</summary>
    public static bool Computes(StageDefinition stage) => stage.PerCell;

    /// <summary>Only the first stage reads the data-set files; the later ones read its saved copy.</summary>
    public static bool ReadsDataFiles(StageDefinition stage) => stage.PerCell && stage.Upstream.Count == 0;

    /// <summary>The stages that train or evaluate concept methods (the <c>--methods</c> choice).</summary>
    public static bool ReadsMethods(StageDefinition stage) => StageRegistry.VersionedStages.Contains(stage.Name);

    /// <summary>
    /// A computing stage records into the run of its method version (the version is part of the run's configuration), so
    /// FineTune and Cache take it too; the report reads every version from the store.
    /// </summary>
    public static bool ReadsMethodVersion(StageDefinition stage) => stage.PerCell;

    /// <summary><c>--set</c> changes profile keys, which only computing stages read (the report reads the store).</summary>
    public static bool ReadsProfileKeys(StageDefinition stage) => stage.PerCell;
}

namespace ClassifSae.Pipeline;

/// <summary>
/// One node of the stage graph: its name (the CLI sub-command and the folder name), the stages whose outputs it reads,
/// and the profile sections it owns. A stage's identity hashes exactly its owned sections plus its inputs' identities
/// (<see cref="StageRunner"/>), so it never re-reads an upstream-owned key: what it needs of those it reads from the
/// upstream's artefacts. A per-cell stage runs once per (model, data set, seed); the others once per invocation.
/// </summary>
public sealed record StageDefinition(string Name, string Description, IReadOnlyList<string> Upstream, IReadOnlyList<string> OwnedSections)
{
    /// <summary>Runs the stage for one grid cell (null for a stage that runs once per invocation).</summary>
    public Func<RunContext, PipelineKey, StageManifest>? RunCell { get; init; }

    /// <summary>Runs the stage once for the whole invocation (null for a per-cell stage).</summary>
    public Action<RunContext>? RunOnce { get; init; }

    public bool PerCell => RunCell is not null;
}

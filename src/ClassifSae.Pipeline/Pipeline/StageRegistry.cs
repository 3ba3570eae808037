using ClassifSae.Pipeline.Stages;

namespace ClassifSae.Pipeline;

/// <summary>
/// The stage graph, written once: the CLI (one sub-command per stage, <c>run --until</c>), the Slurm planner (jobs and
/// their afterok links), Cake (through <c>classifsae run --until</c>) and the tests all read it. Listed in an order
/// where every stage comes after its upstream stages.
/// </summary>
public static class StageRegistry
{
    /// <summary>Profile keys no stage owns: they never change a stage's numbers (names, resources) or enter it another way (seed and threads are in every identity; overrides are applied before).</summary>
    public static readonly IReadOnlyList<string> UnownedSections = ["name", "description", "seed", "threads", "slurm", "overrides"];

    /// <summary>Profile keys that select what to run rather than how (the <c>--methods</c> choice), read by the stages they concern.</summary>
    public static readonly IReadOnlyList<string> SelectionSections = ["methods"];

    /// <summary>
    /// The stages whose numbers depend on <c>method_version</c> (Train owns the key, Evaluate reads Train's output and the
    /// key): an upstream-2026 run writes them beside the paper's (<c>train-upstream-2026/</c>), sharing FineTune and Cache.
    /// </summary>
    public static readonly IReadOnlyList<string> VersionedStages = [StageNames.Train, StageNames.Evaluate];

    /// <summary>A stage's folder name under a run: the stage name, suffixed with the method version for a non-paper run of a versioned stage.</summary>
    public static string FolderName(string stage, string methodVersion) =>
        methodVersion == global::ClassifSae.Settings.MethodVersion.Paper2025 || !VersionedStages.Contains(stage) ? stage : $"{stage}-{methodVersion}";

    public static IReadOnlyList<StageDefinition> All { get; } =
    [
        new(StageNames.FineTune, "fine-tune the backbone as a prompt classifier and save predicted labels",
            [], ["models", "datasets", "fine_tune"]) { RunCell = FineTuneStage.Run },
        new(StageNames.Cache, "cache the decision-token states entering the last block (train and test)",
            [StageNames.FineTune], ["cache"]) { RunCell = CacheStage.Run },
        new(StageNames.Train, "train the concept methods (ClassifSAE, SAE, ICA, ConceptSHAP) on the cached train states",
            [StageNames.Cache], [.. Concepts.ConceptMethods.Sections.Select(s => s.Name), "method_version"]) { RunCell = TrainStage.Run },
        new(StageNames.Evaluate, "evaluate the concepts: selection, recovery accuracy, activation rates, top sentences",
            [StageNames.FineTune, StageNames.Cache, StageNames.Train], ["evaluate"]) { RunCell = EvaluateStage.Run },
        new(StageNames.Report, "write the Markdown/HTML summary from the results store",
            [StageNames.Evaluate], []) { RunOnce = ctx => ReportStage.Run(ctx) },
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToList();

    public static StageDefinition Get(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new UserError($"unknown stage '{name}' (expected one of {string.Join(", ", Names)})");

    /// <summary><paramref name="target"/> and every stage it depends on, directly or not, in graph order.</summary>
    public static IReadOnlyList<StageDefinition> UpTo(string target)
    {
        var needed = new HashSet<string>();
        void Visit(string name)
        {
            if (!needed.Add(name)) return;
            foreach (var up in Get(name).Upstream) Visit(up);
        }
        Visit(target);
        return All.Where(s => needed.Contains(s.Name)).ToList();
    }

    /// <summary>The named stages in graph order (each name checked).</summary>
    public static IReadOnlyList<StageDefinition> InOrder(IEnumerable<string> names)
    {
        var set = names.Select(n => Get(n).Name).ToHashSet();
        return All.Where(s => set.Contains(s.Name)).ToList();
    }

    /// <summary>The owned sections of <paramref name="stage"/> for one cell, as the object its identity hashes.</summary>
    public static object OwnedSettings(RunContext ctx, PipelineKey key, string stage)
    {
        var owned = ProfileSections.Select(ctx.Profile, key, Get(stage).OwnedSections);
        // The model's compute dtype changes Cache and Evaluate only, through their compute identity (InferenceDtype), not FineTune.
        if (owned["models"] is System.Text.Json.Nodes.JsonObject model) model.Remove(InferenceDtype.Key);
        return owned;
    }
}

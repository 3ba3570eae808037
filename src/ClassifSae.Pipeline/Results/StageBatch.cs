namespace ClassifSae.Results;

/// <summary>
/// Everything the store keeps about one finished stage: its run, its metrics, the files it wrote, the concepts and top
/// sentences of each method it evaluated, and the stage row itself. <see cref="ResultsStore.RecordStageBatch"/> writes it
/// in one transaction, so the store holds all of it or none of it.
/// </summary>
/// <param name="Metrics">Every row's RecordedAt should be the stage's finish time: that identifies this stage result's rows, so a rerun replaces them instead of adding copies.</param>
public sealed record StageBatch(
    RunRecord Run,
    StageRecord Stage,
    IReadOnlyList<MetricRow> Metrics,
    IReadOnlyList<ArtefactRecord> Artefacts,
    IReadOnlyList<MethodConcepts> Concepts)
{
    /// <summary>Each evaluated concept's conditional causal effect (Evaluate); replaced per (run, method).</summary>
    public IReadOnlyList<ConceptEffectRecord> ConceptEffects { get; init; } = [];

    /// <summary>Each evaluated concept's activation histogram over the test sentences (Evaluate); replaced per (run, method).</summary>
    public IReadOnlyList<ConceptHistogramRecord> ConceptHistograms { get; init; } = [];

    /// <summary>Every logged training step (FineTune, Train); replaced per (run, stage).</summary>
    public IReadOnlyList<CurvePointRecord> Curves { get; init; } = [];

    /// <summary>Confusion counts (FineTune: the classifier; Evaluate: each method's bottleneck); replaced per (run, stage).</summary>
    public IReadOnlyList<ConfusionRecord> Confusion { get; init; } = [];
}

/// <summary>The concepts and top sentences of one method's evaluation.</summary>
public sealed record MethodConcepts(string Method, IReadOnlyList<ConceptRecord> Concepts, IReadOnlyList<TopSentenceRecord> Sentences);

using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Scalars of one training step, for progress display and training curves. <see cref="Step"/> is 1-based
/// (step s of <see cref="TotalSteps"/>); loss terms are the weighted terms before the decay w(e) is applied.
/// <see cref="ConceptActivationRate"/> is the batch activation rate per concept, averaged over the concept features (the
/// share of (sentence, concept) pairs that fire), not the share of sentences with any concept active that Evaluate reports.
/// <see cref="ExplainedVariance"/> is 1 − Σ(x̂ − x)² / Σ(x − x̄)² over the batch (x̄ the batch mean); null where the batch has no
/// variance (and in reports made before it was recorded).
/// </summary>
public sealed record StepReport(
    int Step, int TotalSteps, int Epoch, double DecayWeight, double Lr,
    double Mse, double ActivationRate, double Classifier, double Ghost, double Total,
    int DeadFeatures, double ClassifierAccuracy, double ConceptActivationRate, double MeanL0, double? ExplainedVariance = null);

/// <summary>
/// Outcome of a run. <see cref="Sparsity"/> is log10 firing frequency over the last statistics window (the SAELens
/// file; it covers a single batch at the paper's settings, spec §3.11). <see cref="StepsSinceFired"/> [d_sae] int64.
/// The caller owns both tensors.
/// </summary>
public sealed record TrainingResult(IReadOnlyList<StepReport> History, Tensor Sparsity, Tensor StepsSinceFired, int DeadFeatures);

using ClassifSae.Settings;

namespace ClassifSae.Concepts.HiConcept;

/// <summary>
/// HI-Concept's settings (spec 04 §5.2), the profile's <c>hi_concept</c> section, with upstream's values as defaults:
/// L = λ_ae L_ae + λ_pred L_pred + λ_flip L_flip + r1 R1 + r2 R2; the flip loss is on from epoch <c>epochs / 2</c>.
/// </summary>
public sealed record HiConceptSettings : IMethodSettings
{
    public const string Section = "hi_concept";

    public int NConcepts { get; init; } = 20;
    public int HiddenDim { get; init; } = 512;
    public int BatchSize { get; init; } = 128;
    public int Epochs { get; init; } = 100;
    public double LearningRate { get; init; } = 3e-4;
    /// <summary>Weight of the reconstruction of the unit-norm input.</summary>
    public double LambdaAe { get; init; } = 1;
    /// <summary>Weight of the cross-entropy against the LLM's predicted labels.</summary>
    public double LambdaPred { get; init; } = 1;
    /// <summary>Weight of the causal flip loss (second half of the epochs).</summary>
    public double LambdaFlip { get; init; } = 1;
    /// <summary>r1: weight of R1 (top-quarter concept probability, maximised).</summary>
    public double LambdaR1 { get; init; } = 0.1;
    /// <summary>r2: weight of R2 (mean signed concept cosine).</summary>
    public double LambdaR2 { get; init; } = 0.5;
    /// <summary>The flip perturbation drops each concept but the last where a uniform draw is at most this (upstream: kept ⇔ rand &gt; 0.2).</summary>
    public double DropProbability { get; init; } = 0.2;

    /// <summary>First epoch (0-based) whose loss includes the flip term.</summary>
    public int FlipEpoch => Epochs / 2;

    public void Check(SettingsCheck check, int? dIn = null, long? trainRows = null)
    {
        var c = check.Section(Section);
        c.AtLeast("n_concepts", NConcepts, 2);
        c.AtLeast("hidden_dim", HiddenDim, 1);
        // R1 averages the top quarter of each batch.
        c.AtLeast("batch_size", BatchSize, 4);
        if (trainRows is { } n) c.Require(BatchSize < n, "batch_size", $"= {BatchSize} must be below the training rows ({n}): an epoch needs more than one batch of rows");
        c.AtLeast("epochs", Epochs, 1);
        c.Positive("learning_rate", LearningRate);
        c.NonNegative("lambda_ae", LambdaAe);
        c.NonNegative("lambda_pred", LambdaPred);
        c.NonNegative("lambda_flip", LambdaFlip);
        c.NonNegative("lambda_r1", LambdaR1);
        c.NonNegative("lambda_r2", LambdaR2);
        c.Require(DropProbability is >= 0 and < 1, "drop_probability", $"= {SettingsCheck.Show(DropProbability)} must be in [0, 1)");
    }
}

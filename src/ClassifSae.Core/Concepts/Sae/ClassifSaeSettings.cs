using System.Text.Json.Serialization;
using ClassifSae.Settings;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// ClassifSAE's settings (spec 01 §3.10), the profile's <c>classif_sae</c> section as is; the defaults are the paper's
/// AG News values. The trainer reads them through <see cref="ClassifSaeOptions.Settings"/>, with no renamed copy.
/// </summary>
public sealed record ClassifSaeSettings : IMethodSettings
{
    public const string Section = "classif_sae";

    /// <summary>d_sae = expansion_factor · d_in.</summary>
    public int ExpansionFactor { get; init; } = 2;
    public int K { get; init; } = 10;
    public int NConcepts { get; init; } = 20;
    public double LambdaMse { get; init; } = 0.1;
    public double LambdaActivationRate { get; init; } = 0.1;
    public double LambdaClassifier { get; init; } = 1;
    /// <summary>τ, the target firing rate of the z_class concepts.</summary>
    public double ActivationRate { get; init; } = 0.1;
    public int Steps { get; init; } = 20_000;
    public int BatchSize { get; init; } = 500;
    public double LearningRate { get; init; } = 5e-5;
    public double LearningRateEnd { get; init; } = 5e-7;
    /// <summary>2: the original's accidental default (spec §3.14.2), kept for the exact schedule.</summary>
    public int LearningRateDecaySteps { get; init; } = 2;
    public double NoiseScale { get; init; } = 0.2;
    public bool GhostGrads { get; init; } = true;
    /// <summary>
    /// SAE batches: <c>iid</c> (a fresh permutation of the cache each epoch) or <c>faithful</c> (the original's
    /// half-file reads mixed with a storage buffer, shard by shard in order — label-skewed batches on IMDB).
    /// </summary>
    public string Loader { get; init; } = "iid";

    public int DSae(int dIn) => ExpansionFactor * dIn;

    [JsonIgnore] public LossWeights Weights => new(LambdaMse, LambdaActivationRate, LambdaClassifier, ActivationRate);

    /// <summary>The baseline SAE of the paper: same everything, λ_mse = 1, λ_AR = 0, λ_cls = 0, τ = 1 (unused).</summary>
    public ClassifSaeSettings AsBaseline() => this with { LambdaMse = 1, LambdaActivationRate = 0, LambdaClassifier = 0, ActivationRate = 1 };

    public void Check(SettingsCheck check, int? dIn = null, long? trainRows = null) => CheckAt(check.Section(Section), dIn);

    /// <summary>The checks under a given key prefix (the plain SAE reports its borrowed fields under its own section).</summary>
    public void CheckAt(SettingsCheck c, int? dIn)
    {
        c.InRange("expansion_factor", ExpansionFactor, 1, 1024);
        if (dIn is > 0 && ExpansionFactor >= 1)
        {
            c.InRange("k", K, 1, DSae(dIn.Value), "d_sae");
            c.InRange("n_concepts", NConcepts, 1, DSae(dIn.Value), "d_sae");
        }
        else
        {
            c.AtLeast("k", K, 1);
            c.AtLeast("n_concepts", NConcepts, 1);
        }
        c.NonNegative("lambda_mse", LambdaMse);
        c.NonNegative("lambda_activation_rate", LambdaActivationRate);
        c.NonNegative("lambda_classifier", LambdaClassifier);
        c.InHalfOpen("activation_rate", ActivationRate, 0, 1);
        c.AtLeast("steps", Steps, 1);
        c.AtLeast("batch_size", BatchSize, 2);
        c.Positive("learning_rate", LearningRate);
        c.Require(LearningRateEnd >= 0 && LearningRateEnd <= LearningRate, "learning_rate_end",
            $"= {SettingsCheck.Show(LearningRateEnd)} must be in [0, learning_rate = {SettingsCheck.Show(LearningRate)}]");
        c.InRange("learning_rate_decay_steps", LearningRateDecaySteps, 0, Math.Max(0, Steps - 1), "steps - 1");
        c.Require(LearningRateDecaySteps == 0 || LearningRateEnd > 0, "learning_rate_end", "must be positive when learning_rate_decay_steps > 0 (as in SAELens)");
        c.NonNegative("noise_scale", NoiseScale);
        c.OneOf("loader", Loader, "iid", "faithful");
    }
}

using ClassifSae.Pipeline;

namespace ClassifSae.Concepts.ConceptShap;

/// <summary>
/// A ConceptSHAP training run: the profile's hyperparameters (<see cref="ConceptShapSpec"/>, spec 02 §2.2) plus what is
/// not a profile key — the seed and the frozen-concepts ablation.
/// </summary>
public sealed record ConceptShapOptions
{
    public ConceptShapSpec Spec { get; init; } = new();
    public long Seed { get; init; } = 42;
    /// <summary>Keep the concept vectors at their random initialisation (an ablation: the "random concepts" baseline).</summary>
    public bool FreezeConcepts { get; init; }

    public void Validate()
    {
        static void Check(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        var s = Spec;
        Check(s.NConcepts >= 1, $"n_concepts must be positive, got {s.NConcepts}");
        Check(s.HiddenDim >= 1, $"hidden_dim must be positive, got {s.HiddenDim}");
        Check(s.Threshold is >= 0 and < 1, $"threshold must be in [0,1), got {s.Threshold}");
        Check(s.LambdaKnn >= 0 && s.LambdaDiversity >= 0, "regulariser weights must be non-negative");
        Check(s.TopK >= 1, $"top_k must be positive, got {s.TopK}");
        Check(s.BatchSize >= 1, $"batch_size must be positive, got {s.BatchSize}");
        Check(s.Epochs >= 1, $"epochs must be positive, got {s.Epochs}");
        Check(s.RegularizerEpoch >= 0, $"regularizer_epoch must be non-negative, got {s.RegularizerEpoch}");
        Check(s.LearningRate > 0, $"learning_rate must be positive, got {s.LearningRate}");
    }
}

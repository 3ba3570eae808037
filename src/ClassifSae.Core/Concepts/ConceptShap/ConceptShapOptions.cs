namespace ClassifSae.Concepts.ConceptShap;

/// <summary>ConceptSHAP training settings (spec 02 §2.2); defaults are the paper's configs (θ is per model and data set).</summary>
public sealed record ConceptShapOptions
{
    public int NConcepts { get; init; } = 20;
    public int HiddenDim { get; init; } = 512;
    /// <summary>Cosine threshold θ of the concept scores.</summary>
    public double Threshold { get; init; } = 0.15;
    /// <summary>λ1: weight of the kNN closeness regulariser R_1 (maximised).</summary>
    public double LambdaKnn { get; init; } = 0.1;
    /// <summary>λ2: weight of the concept-decorrelation regulariser R_2.</summary>
    public double LambdaDiversity { get; init; } = 0.1;
    /// <summary>K: nearest training states per concept in R_1.</summary>
    public int TopK { get; init; } = 64;
    public int BatchSize { get; init; } = 128;
    public int Epochs { get; init; } = 30;
    /// <summary>First epoch (0-based) whose loss includes the regularisers.</summary>
    public int RegularizerEpoch { get; init; } = 2;
    public double LearningRate { get; init; } = 1e-3;
    public long Seed { get; init; } = 42;
    /// <summary>Keep the concept vectors at their random initialisation (an ablation: the "random concepts" baseline).</summary>
    public bool FreezeConcepts { get; init; }

    public void Validate()
    {
        static void Check(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Check(NConcepts >= 1, $"n_concepts must be positive, got {NConcepts}");
        Check(HiddenDim >= 1, $"hidden_dim must be positive, got {HiddenDim}");
        Check(Threshold is >= 0 and < 1, $"threshold must be in [0,1), got {Threshold}");
        Check(LambdaKnn >= 0 && LambdaDiversity >= 0, "regulariser weights must be non-negative");
        Check(TopK >= 1, $"top_k must be positive, got {TopK}");
        Check(BatchSize >= 1, $"batch_size must be positive, got {BatchSize}");
        Check(Epochs >= 1, $"epochs must be positive, got {Epochs}");
        Check(RegularizerEpoch >= 0, $"regularizer_epoch must be non-negative, got {RegularizerEpoch}");
        Check(LearningRate > 0, $"learning_rate must be positive, got {LearningRate}");
    }
}

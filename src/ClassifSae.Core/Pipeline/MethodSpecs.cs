namespace ClassifSae.Pipeline;

/// <summary>
/// The plain-SAE baseline (spec 02 §2.3, spec 01 §3.12): the ClassifSAE section's TopK SAE trained with λ_mse = 1,
/// λ_AR = λ_cls = 0, then z_class picked by an L1 logistic probe. Null training fields fall back to classif_sae's.
/// </summary>
public sealed record SaeBaselineSpec
{
    /// <summary>Size of z_class (the paper's 20).</summary>
    public int NConcepts { get; init; } = 20;
    public int? Steps { get; init; }
    public double? LearningRate { get; init; }
    public double? LearningRateEnd { get; init; }
    /// <summary><c>test</c>: probe the evaluated split with its true labels, as the original does (spec 02 §2.3 [quirk]); <c>train</c>: the train split with the LLM's predicted labels, at training time.</summary>
    public string SelectionSplit { get; init; } = "test";
    public List<double> LogisticCs { get; init; } = [0.01, 0.1, 1];
    public int LogisticFolds { get; init; } = 3;
    public int LogisticMaxIterations { get; init; } = 1000;
    public double LogisticTolerance { get; init; } = 1e-3;
}

/// <summary>FastICA baseline (spec 02 §2.1): logcosh, parallel, unit-variance whitening.</summary>
public sealed record IcaSpec
{
    public int Components { get; init; } = 20;
    public int MaxIterations { get; init; } = 1000;
    public double Tolerance { get; init; } = 1e-4;
}

/// <summary>ConceptSHAP baseline (spec 02 §2.2); θ = 0.15 is the paper's value for pythia-160m/1b on AG News.</summary>
public sealed record ConceptShapSpec
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
}

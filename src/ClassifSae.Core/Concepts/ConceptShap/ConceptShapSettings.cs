using System.Text.Json.Serialization;
using ClassifSae.Settings;

namespace ClassifSae.Concepts.ConceptShap;

/// <summary>
/// ConceptSHAP's settings (spec 02 §2.2), the profile's <c>concept_shap</c> section; θ = 0.15 is the paper's value for
/// pythia-160m/1b on AG News (other cells: per-cell <c>overrides</c>). <see cref="Version"/> picks the paper's algorithm
/// (spec 02 §2.2) or upstream's v2 (spec 04 §5.1: normalised concepts in the scores, R1/R2 redefined, no kNN search);
/// upstream's values are θ 0.3, lambda_knn 0.1, lambda_diversity 0.5, 100 epochs, regularizer_epoch 0, lr 3e-4.
/// </summary>
public sealed record ConceptShapSettings : IMethodSettings
{
    public const string Section = "concept_shap";

    /// <summary>Which algorithm; absent from the serialised settings when it is the paper's, so paper-version hashes and folders are unchanged.</summary>
    /// <remarks>null = the paper's (<see cref="MethodVersion.Paper2025"/>).</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Version { get; init; }

    public int NConcepts { get; init; } = 20;
    public int HiddenDim { get; init; } = 512;
    /// <summary>Cosine threshold θ of the concept scores.</summary>
    public double Threshold { get; init; } = 0.15;
    /// <summary>λ1: weight of the closeness regulariser R_1 (paper: kNN closeness, maximised; v2: r1, on −top-quarter cosines).</summary>
    public double LambdaKnn { get; init; } = 0.1;
    /// <summary>λ2: weight of the concept-decorrelation regulariser R_2 (v2: r2, on the mean signed cosine).</summary>
    public double LambdaDiversity { get; init; } = 0.1;
    /// <summary>K: nearest training states per concept in the paper's R_1 (unused by v2).</summary>
    public int TopK { get; init; } = 64;
    public int BatchSize { get; init; } = 128;
    public int Epochs { get; init; } = 30;
    /// <summary>First epoch (0-based) whose loss includes the regularisers.</summary>
    public int RegularizerEpoch { get; init; } = 2;
    public double LearningRate { get; init; } = 1e-3;

    public IMethodSettings ForVersion(string methodVersion) =>
        Version is null && methodVersion == MethodVersion.Upstream2026 ? this with { Version = methodVersion } : this;

    public void Check(SettingsCheck check, int? dIn = null, long? trainRows = null)
    {
        var c = check.Section(Section);
        if (Version is not null) c.OneOf("version", Version, [.. MethodVersion.All]);
        c.AtLeast("n_concepts", NConcepts, 1);
        c.AtLeast("hidden_dim", HiddenDim, 1);
        c.Require(Threshold is >= 0 and < 1, "threshold", $"= {SettingsCheck.Show(Threshold)} must be in [0, 1)");
        c.NonNegative("lambda_knn", LambdaKnn);
        c.NonNegative("lambda_diversity", LambdaDiversity);
        c.AtLeast("top_k", TopK, 1);
        c.AtLeast("batch_size", BatchSize, 1);
        // An epoch takes the whole batches that leave at least one row over (the original's loop): it needs more rows than a batch.
        if (trainRows is { } n) c.Require(BatchSize < n, "batch_size", $"= {BatchSize} must be below the training rows ({n}): an epoch needs more than one batch of rows");
        c.AtLeast("epochs", Epochs, 1);
        c.AtLeast("regularizer_epoch", RegularizerEpoch, 0);
        c.Positive("learning_rate", LearningRate);
    }
}

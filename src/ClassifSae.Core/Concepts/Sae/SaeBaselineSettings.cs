using System.Text.Json.Serialization;
using ClassifSae.Settings;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// The plain-SAE baseline's own settings, the profile's <c>sae</c> section (spec 02 §2.3, spec 01 §3.12): the size of
/// z_class, the L1 logistic probe that picks it, and optional changes to the training fields it borrows from
/// <c>classif_sae</c> (null = classif_sae's value).
/// </summary>
public sealed record SaeBaselineSettings
{
    public const string Section = "sae";

    /// <summary>Size of z_class (the paper's 20).</summary>
    public int NConcepts { get; init; } = 20;
    public int? Steps { get; init; }
    public double? LearningRate { get; init; }
    public double? LearningRateEnd { get; init; }
    /// <summary>Upstream trains the plain SAE at B = 500 in every cell while ClassifSAE's B varies (spec 04 §4.4). Omitted when unset, so existing hashes stay.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? BatchSize { get; init; }
    /// <summary><c>test</c>: probe the evaluated split with its true labels, as the original does (spec 02 §2.3 [quirk]); <c>train</c>: the train split with the LLM's predicted labels, at training time.</summary>
    public string SelectionSplit { get; init; } = "test";
    public List<double> LogisticCs { get; init; } = [0.01, 0.1, 1];
    public int LogisticFolds { get; init; } = 3;
    public int LogisticMaxIterations { get; init; } = 1000;
    public double LogisticTolerance { get; init; } = 1e-3;
    /// <summary>
    /// The probe's version: the paper's LogisticRegressionCV (spec 02 §2.3) or upstream's GridSearchCV with shuffled folds,
    /// multinomial and balanced class weights (spec 04 §5.4). Absent from the serialised settings when it is the paper's.
    /// </summary>
    /// <remarks>null = the paper's (<see cref="MethodVersion.Paper2025"/>).</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Version { get; init; }

    [JsonIgnore] public L1LogisticOptions Probe => new()
    {
        Cs = LogisticCs.ToArray(), Folds = LogisticFolds, MaxIterations = LogisticMaxIterations, Tolerance = LogisticTolerance,
    };

    /// <summary>z_class candidates of <paramref name="activations"/> [N, F] given <paramref name="labels"/>, by this version's probe.</summary>
    public LogisticSelectionResult SelectConcepts(Tensor activations, IReadOnlyList<long> labels, int classes) =>
        Version == MethodVersion.Upstream2026
            ? GridSearchSelection.Select(activations, labels, NConcepts, Probe)
            : LogisticSelection.Select(activations, labels, classes, NConcepts, Probe);

    /// <summary>ClassifSAE's settings with this section's changes and the baseline's loss weights (λ_mse = 1, λ_AR = λ_cls = 0).</summary>
    public ClassifSaeSettings Apply(ClassifSaeSettings c) => (c with
    {
        Steps = Steps ?? c.Steps,
        BatchSize = BatchSize ?? c.BatchSize,
        LearningRate = LearningRate ?? c.LearningRate,
        LearningRateEnd = LearningRateEnd ?? c.LearningRateEnd,
    }).AsBaseline();

    /// <param name="dSae">The SAE width, when known.</param>
    public void CheckAt(SettingsCheck c, int? dSae)
    {
        if (Version is not null) c.OneOf("version", Version, [.. MethodVersion.All]);
        if (dSae is > 0) c.InRange("n_concepts", NConcepts, 1, dSae.Value, "d_sae");
        else c.AtLeast("n_concepts", NConcepts, 1);
        if (Steps is { } s) c.AtLeast("steps", s, 1);
        if (BatchSize is { } b) c.AtLeast("batch_size", b, 2);
        if (LearningRate is { } lr) c.Positive("learning_rate", lr);
        if (LearningRateEnd is { } lrEnd) c.NonNegative("learning_rate_end", lrEnd);
        c.OneOf("selection_split", SelectionSplit, "test", "train");
        c.Require(LogisticCs.Count > 0 && LogisticCs.All(x => x > 0 && double.IsFinite(x)), "logistic_cs",
            $"= [{string.Join(", ", LogisticCs.Select(SettingsCheck.Show))}] must list positive values");
        c.AtLeast("logistic_folds", LogisticFolds, 2);
        c.AtLeast("logistic_max_iterations", LogisticMaxIterations, 1);
        c.Positive("logistic_tolerance", LogisticTolerance);
    }
}

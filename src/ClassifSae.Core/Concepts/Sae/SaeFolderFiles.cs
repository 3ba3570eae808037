namespace ClassifSae.Concepts.Sae;

/// <summary>File names of a saved SAE folder: a pure SAELens v6 TopK folder plus the ClassifSAE head beside it (spec 03 §3.5).</summary>
public static class SaeFolderFiles
{
    public const string Config = "cfg.json";
    public const string Weights = "sae_weights.safetensors";
    public const string Sparsity = "sparsity.safetensors";
    public const string ClassifierHead = "classifier_head.safetensors";
    public const string ClassifierConfig = "classifier_cfg.json";

    /// <summary>SAELens schema version written into cfg.json metadata.</summary>
    public const string SaeLensVersion = "6.18.0";
}

/// <summary>
/// Where the activations came from; goes into the SAELens metadata. <paramref name="ContextSize"/> is the longest prompt the
/// backbone saw (null: unknown); the SAE is trained on ONE position of each prompt, the decision token T−2, which SAELens
/// describes as <c>seqpos_slice: [-2, -1]</c>.
/// </summary>
public sealed record SaeProvenance(string ModelName, string HookName, string? DatasetPath = null, int? ContextSize = null);

/// <summary>Contents of classifier_cfg.json: the head's shape and the loss weights the SAE was trained with.</summary>
public sealed record ClassifierHeadConfig(int NConcepts, int NbClasses, double LambdaMse, double LambdaAR, double LambdaCls, double Tau)
{
    /// <summary>False for the baseline SAE, whose head is random and must not be used (spec §3.14.9).</summary>
    public bool IsTrainedHead => LambdaCls > 0;
}

using ClassifSae.Settings;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// One SAE / ClassifSAE training run (spec 01 §3.10): the method's <see cref="Settings"/> (the profile's classif_sae
/// section, read as is), what the data fixes (d_in, classes, rows per epoch), the seed, and the engine's own knobs
/// that are not profile keys. <see cref="AsBaseline"/> gives the plain TopK SAE (λ_mse = 1, λ_AR = λ_cls = 0).
/// </summary>
public sealed record ClassifSaeOptions
{
    public ClassifSaeSettings Settings { get; init; } = new();
    public required int DIn { get; init; }
    public required int NbClasses { get; init; }
    /// <summary>Number of cached rows (AG News 120 000, IMDB 25 000); drives the decay w(e).</summary>
    public required long LenEpoch { get; init; }
    public long Seed { get; init; } = 42;
    /// <summary>
    /// <c>paper-2025</c> (spec 01 §3: noise, decay, λ's inside) or <c>upstream-2026</c> (spec 04 §4: ClassifSAE v2, see
    /// <see cref="UpstreamObjective"/>, with the decoder-gradient projection before clipping and three Adam groups).
    /// </summary>
    public string MethodVersion { get; init; } = global::ClassifSae.Settings.MethodVersion.Paper2025;

    public bool IsUpstream => global::ClassifSae.Settings.MethodVersion.IsUpstream(MethodVersion);

    public double GradClipNorm { get; init; } = 1.0;
    public int FeatureSamplingWindow { get; init; } = 100;
    public int DeadFeatureWindow { get; init; } = 100;
    /// <summary>n_checkpoints = 2: one intermediate checkpoint half-way, reported through the trainer's callback.</summary>
    public int NCheckpoints { get; init; } = 2;
    /// <summary>Keep a history entry every this many steps (the last step is always kept).</summary>
    public int HistoryEvery { get; init; } = 1;

    /// <summary>
    /// Decode from the TopK codes (k rows of W_dec per sample) instead of the dense Z·W_dec. Same numbers up to float
    /// rounding; false keeps the dense reference path, used by the benchmark to measure the speed-up.
    /// </summary>
    public bool SparseDecoder { get; init; } = true;

    public int DSae => Settings.DSae(DIn);
    public SaeShape Shape => new(DIn, DSae, Settings.K, Settings.NConcepts, NbClasses);
    public LossWeights Weights => Settings.Weights;
    public int TotalEpochs => LossDecay.TotalEpochs(Settings.Steps, Settings.BatchSize, LenEpoch);

    public ClassifSaeOptions AsBaseline() => this with { Settings = Settings.AsBaseline() };

    /// <summary>The settings' rules (the ones the profile loader applies) plus the engine's; throws <see cref="ArgumentException"/>.</summary>
    public void Validate()
    {
        var check = new SettingsCheck();
        Settings.Check(check, DIn);
        var c = check.Section("options");
        c.AtLeast("d_in", DIn, 1);
        c.AtLeast("nb_classes", NbClasses, 2);
        c.AtLeast("len_epoch", LenEpoch, 1);
        c.Positive("grad_clip_norm", GradClipNorm);
        c.AtLeast("feature_sampling_window", FeatureSamplingWindow, 1);
        c.AtLeast("dead_feature_window", DeadFeatureWindow, 1);
        c.AtLeast("n_checkpoints", NCheckpoints, 0);
        c.AtLeast("history_every", HistoryEvery, 1);
        c.OneOf("method_version", MethodVersion, [.. global::ClassifSae.Settings.MethodVersion.All]);
        check.ThrowIfAny(m => new ArgumentException(m));
    }
}

/// <summary>The λ's and τ. ClassifSAE mode (decayed reconstruction, classifier CE) is on when λ_cls &gt; 0 (spec §3.5).</summary>
public sealed record LossWeights(double LambdaMse, double LambdaAR, double LambdaCls, double Tau)
{
    public bool IsClassifSae => LambdaCls > 0;
}

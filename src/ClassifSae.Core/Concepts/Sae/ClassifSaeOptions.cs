namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Everything that defines one SAE / ClassifSAE training run (spec 01 §3.10). Defaults are the paper's
/// ClassifSAE values for AG News; <see cref="AsBaseline"/> gives the plain TopK SAE (λ_mse = 1, λ_AR = λ_cls = 0).
/// </summary>
public sealed record ClassifSaeOptions
{
    private readonly int? _dSae;

    public required int DIn { get; init; }
    /// <summary>Defaults to 2·d_in.</summary>
    public int DSae { get => _dSae ?? 2 * DIn; init => _dSae = value; }
    public int K { get; init; } = 10;
    public int NConcepts { get; init; } = 20;
    public required int NbClasses { get; init; }

    public double LambdaMse { get; init; } = 0.1;
    public double LambdaAR { get; init; } = 0.1;
    public double LambdaCls { get; init; } = 1.0;
    /// <summary>τ = feature_activation_rate.</summary>
    public double Tau { get; init; } = 0.1;

    public int TotalSteps { get; init; } = 20_000;
    public int BatchSize { get; init; } = 500;
    public double Lr { get; init; } = 5e-5;
    public double LrEnd { get; init; } = 5e-7;
    /// <summary>2: the original's accidental default (spec §3.14.2), kept for the exact schedule.</summary>
    public int LrDecaySteps { get; init; } = 2;
    public double GradClipNorm { get; init; } = 1.0;
    public double NoiseScale { get; init; } = 0.2;
    public bool UseGhostGrads { get; init; } = true;
    public int FeatureSamplingWindow { get; init; } = 100;
    public int DeadFeatureWindow { get; init; } = 100;
    /// <summary>Number of cached rows (AG News 120 000, IMDB 25 000); drives the decay w(e).</summary>
    public required long LenEpoch { get; init; }
    public long Seed { get; init; } = 42;
    /// <summary>n_checkpoints = 2: one intermediate checkpoint half-way, reported through the trainer's callback.</summary>
    public int NCheckpoints { get; init; } = 2;
    /// <summary>Keep a history entry every this many steps (the last step is always kept).</summary>
    public int HistoryEvery { get; init; } = 1;

    /// <summary>
    /// Decode from the TopK codes (k rows of W_dec per sample) instead of the dense Z·W_dec. Same numbers up to float
    /// rounding; false keeps the dense reference path, used by the benchmark to measure the speed-up.
    /// </summary>
    public bool SparseDecoder { get; init; } = true;

    public SaeShape Shape => new(DIn, DSae, K, NConcepts, NbClasses);
    public LossWeights Weights => new(LambdaMse, LambdaAR, LambdaCls, Tau);
    public int TotalEpochs => LossDecay.TotalEpochs(TotalSteps, BatchSize, LenEpoch);

    /// <summary>The baseline SAE of the paper: same everything, λ_mse = 1, λ_AR = 0, λ_cls = 0, τ = 1 (unused).</summary>
    public ClassifSaeOptions AsBaseline() => this with { LambdaMse = 1, LambdaAR = 0, LambdaCls = 0, Tau = 1.0 };

    public void Validate()
    {
        Shape.Validate();
        static void Check(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Check(LambdaMse >= 0 && LambdaAR >= 0 && LambdaCls >= 0, "loss weights λ_mse, λ_AR, λ_cls must be non-negative");
        Check(Tau > 0 && Tau <= 1, $"τ must be in (0,1], got {Tau}");
        Check(TotalSteps > 0, $"total_steps must be positive, got {TotalSteps}");
        Check(BatchSize > 1, $"batch_size must be at least 2, got {BatchSize}");
        Check(Lr > 0 && LrEnd >= 0 && LrEnd <= Lr, $"need 0 ≤ lr_end ≤ lr and lr > 0 (lr={Lr}, lr_end={LrEnd})");
        Check(LrDecaySteps >= 0 && LrDecaySteps < TotalSteps, $"lr_decay_steps must be in 0..total_steps-1, got {LrDecaySteps}");
        Check(LrDecaySteps == 0 || LrEnd > 0, "lr_end must be positive when lr_decay_steps > 0 (as in SAELens)");
        Check(GradClipNorm > 0, $"grad clip norm must be positive, got {GradClipNorm}");
        Check(NoiseScale >= 0, $"noise_scale must be non-negative, got {NoiseScale}");
        Check(FeatureSamplingWindow > 0 && DeadFeatureWindow > 0, "feature sampling and dead feature windows must be positive");
        Check(LenEpoch > 0, $"len_epoch must be positive, got {LenEpoch}");
        Check(NCheckpoints >= 0, $"n_checkpoints must be non-negative, got {NCheckpoints}");
        Check(HistoryEvery > 0, $"history_every must be positive, got {HistoryEvery}");
    }
}

/// <summary>The λ's and τ. ClassifSAE mode (decayed reconstruction, classifier CE) is on when λ_cls &gt; 0 (spec §3.5).</summary>
public sealed record LossWeights(double LambdaMse, double LambdaAR, double LambdaCls, double Tau)
{
    public bool IsClassifSae => LambdaCls > 0;
}

using System.Globalization;

namespace ClassifSae.FineTuning;

/// <summary>
/// What causal-LM pretraining's output layer costs per step: it scores the whole vocabulary at every position, so its logits
/// are batch × positions × vocabulary floats, and its multiply-adds per position (d·V) compare with the blocks' (about 12·d²
/// per layer: 4·d² attention projections, 8·d² MLP) as V / (12·L·d).
/// </summary>
public sealed record PretrainCost(int VocabSize, int BatchSize, int Positions, int HiddenSize, int Layers)
{
    /// <summary>Above this the logits alone take a notable share of memory.</summary>
    public const long LargeLogitsBytes = 512L << 20;

    /// <summary>Above this the output layer takes most of each step's time.</summary>
    public const double LargeRelativeWork = 4;

    public long LogitsBytes => (long)BatchSize * Positions * VocabSize * sizeof(float);

    /// <summary>The output layer's multiply-adds over the transformer blocks'.</summary>
    public double RelativeWork => (double)VocabSize / (12.0 * Layers * HiddenSize);

    public bool IsLarge => LogitsBytes >= LargeLogitsBytes || RelativeWork >= LargeRelativeWork;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"pretrain cost: vocabulary {VocabSize} tokens scored at each of {BatchSize} × {Positions} positions per step: logits {LogitsBytes / 1048576.0:F0} MiB " +
        $"(float32; about 3× that with softmax and gradient), output layer ≈ {RelativeWork:0.##}× the work of the {Layers} blocks");
}

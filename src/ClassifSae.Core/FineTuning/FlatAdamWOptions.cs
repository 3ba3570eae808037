using static TorchSharp.torch;

namespace ClassifSae.FineTuning;

/// <summary>How <see cref="FlatAdamW"/> stores what it trains: torch's AdamW constants, the dtype the model computes in, 8-bit moments.</summary>
public sealed record FlatAdamWOptions
{
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    public bool FusedCpuKernel { get; init; } = true;

    /// <summary>Float32: the model trains its own float32 weights; Float16/BFloat16: a half working copy of float32 masters.</summary>
    public ScalarType WorkingDtype { get; init; } = ScalarType.Float32;

    /// <summary>With a half working copy: how many gradient values a step turns into float32 at a time.</summary>
    public long ChunkElements { get; init; } = HalfGradientChunks.DefaultChunk;

    /// <summary>bitsandbytes' 8-bit block-wise moments instead of float32 m and v.</summary>
    public bool EightBitState { get; init; }
}

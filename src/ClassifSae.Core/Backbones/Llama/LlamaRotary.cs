using ClassifSae.Backbones.Decoders;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Llama;

/// <summary>
/// Llama's rotary embedding ("rotate half" over the whole head) with transformers' inverse frequencies, including the
/// <c>llama3</c> scaling of Llama 3.1 computed as transformers does (<c>_compute_llama3_parameters</c>, float32, with
/// <c>original_max_position_embeddings</c> from the config — not TransformerLens 2.9's n_ctx = 2048 variant, spec 04 §3.7.2).
/// </summary>
public static class LlamaRotary
{
    /// <summary>The inverse frequencies [headDim/2] (float32) of <paramref name="cfg"/>.</summary>
    public static Tensor InverseFrequencies(LlamaConfig cfg, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var d = cfg.HeadDim;
        var exponents = arange(0, d, 2, dtype: ScalarType.Int64, device: device).to(ScalarType.Float32) / d;
        var invFreq = pow(cfg.RopeTheta, exponents).reciprocal();
        if (cfg.RopeScaling is { Kind: "llama3" } s) invFreq = Llama3(invFreq, s);
        return invFreq.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Wavelengths above original/low_freq_factor are slowed by <c>factor</c>, those below original/high_freq_factor kept,
    /// and those in between interpolated with s = (original/λ − low) / (high − low).
    /// </summary>
    private static Tensor Llama3(Tensor invFreq, RopeScaling s)
    {
        var old = (double)s.OriginalMaxPositions;
        var lowFreqWavelen = old / s.LowFreqFactor;
        var highFreqWavelen = old / s.HighFreqFactor;
        var wavelen = invFreq.reciprocal() * (2 * Math.PI);
        var scaled = where(wavelen > lowFreqWavelen, invFreq / s.Factor, invFreq);
        var smooth = (wavelen.reciprocal() * old - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        var smoothed = (1 - smooth) * scaled / s.Factor + smooth * scaled;
        var medium = (wavelen < highFreqWavelen).logical_not() & (wavelen > lowFreqWavelen).logical_not();
        return where(medium, smoothed, scaled);
    }

    /// <summary>(cos, sin) [B, 1, T, headDim] of positions [B, T] for inverse frequencies <paramref name="invFreq"/> (float32).</summary>
    public static (Tensor Cos, Tensor Sin) Angles(Tensor positions, Tensor invFreq)
    {
        using var scope = NewDisposeScope();
        var freqs = positions.to(ScalarType.Float32).unsqueeze(-1) * invFreq.to(positions.device);   // [B, T, d/2]
        var emb = cat([freqs, freqs], dim: -1).unsqueeze(1);
        return (emb.cos().MoveToOuterDisposeScope(), emb.sin().MoveToOuterDisposeScope());
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>
/// GPT-NeoX rotary embedding on the first <c>rotaryDims</c> of each head ("rotate half" layout, as in HF),
/// with explicit per-token positions so left-padded rows get pad-aware positions.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>
    /// Returns (cos, sin) of shape [B, 1, T, rotaryDims] for positions [B, T], computed in float32 step by step as
    /// transformers does: inv_freq = 1 / base^(arange(0, r, 2) / r), freqs = position · inv_freq, cos/sin of [freqs, freqs].
    /// (A float64 computation cast to float32 differs by up to 3.4e-5 at positions ≥ 1792.)
    /// </summary>
    public static (Tensor Cos, Tensor Sin) Angles(Tensor positions, int rotaryDims, double theta)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, rotaryDims, 2, dtype: ScalarType.Int64, device: positions.device).to(ScalarType.Float32) / rotaryDims;
        // Python's `1.0 / t` is t.reciprocal() * 1.0.
        var invFreq = pow(theta, exponents).reciprocal();                           // [r/2] float32
        var freqs = positions.to(ScalarType.Float32).unsqueeze(-1) * invFreq;       // [B, T, r/2]
        var emb = cat([freqs, freqs], dim: -1).unsqueeze(1);                         // [B, 1, T, r]
        return (emb.cos().MoveToOuterDisposeScope(), emb.sin().MoveToOuterDisposeScope());
    }

    /// <summary>Applies the rotation to x [B, H, T, D] on its first cos.size(-1) dims.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        // Float32 angles meet a float16/bfloat16 working copy in its dtype (transformers: cos.to(x.dtype)).
        if (cos.dtype != x.dtype) (cos, sin) = (cos.to(x.dtype), sin.to(x.dtype));
        var r = cos.size(-1);
        var rot = x[.., .., .., ..(int)r];
        var pass = x[.., .., .., (int)r..];
        var half = r / 2;
        var x1 = rot[.., .., .., ..(int)half];
        var x2 = rot[.., .., .., (int)half..];
        var rotated = rot * cos + cat([-x2, x1], dim: -1) * sin;
        return cat([rotated, pass], dim: -1);
    }
}

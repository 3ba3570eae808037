using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptJ;

/// <summary>
/// GPT-J's rotary embedding: on the first rotary_dim dims of each head, pairs (2i, 2i+1) are rotated together
/// ("rotate every two", interleaved), with inv_freq = 1 / 10000^(2i / rotary_dim) repeated per pair (repeat_interleave,
/// not concatenated as in the rotate-half families). Dims from rotary_dim on pass through.
/// </summary>
public static class GptJRotary
{
    /// <summary>(cos, sin) [B, 1, T, rotaryDim] of positions [B, T], float32 as transformers' sinusoid table.</summary>
    public static (Tensor Cos, Tensor Sin) Angles(Tensor positions, int rotaryDim)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, rotaryDim, 2, dtype: ScalarType.Int64, device: positions.device).to(ScalarType.Float32) / rotaryDim;
        var invFreq = pow(10000.0, exponents).reciprocal();
        var angles = positions.to(ScalarType.Float32).unsqueeze(-1) * invFreq;          // [B, T, r/2]
        var emb = angles.repeat_interleave(2, dim: -1).unsqueeze(1);                    // [B, 1, T, r]: θ0 θ0 θ1 θ1 …
        return (emb.cos().MoveToOuterDisposeScope(), emb.sin().MoveToOuterDisposeScope());
    }

    /// <summary>Rotates x [B, H, T, D] on its first cos.size(−1) dims: y[2i] = x[2i]·c − x[2i+1]·s, y[2i+1] = x[2i+1]·c + x[2i]·s.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var r = (int)cos.size(-1);
        var rot = x[.., .., .., ..r];
        var pass = x[.., .., .., r..];
        long[] pairShape = [.. rot.shape[..^1], r / 2, 2];
        var pairs = rot.reshape(pairShape);                                              // [B, H, T, r/2, 2]
        var everyTwo = stack([-pairs.select(-1, 1), pairs.select(-1, 0)], dim: -1).reshape(rot.shape);
        var rotated = rot * cos + everyTwo * sin;
        return (pass.size(-1) > 0 ? cat([rotated, pass], dim: -1) : rotated).MoveToOuterDisposeScope();
    }
}

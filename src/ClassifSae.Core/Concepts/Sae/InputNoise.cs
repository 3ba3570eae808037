using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Training-only input noise (spec 01 §3.3): X̃ = X + scale·σ ⊙ ε, σ_j the population std of column j over the
/// batch (divide by B), clamped below at 1e-3, ε ~ N(0,1) from the trainer's own generator.
/// </summary>
public static class InputNoise
{
    public static Tensor ColumnStd(Tensor x)
    {
        var centred = x - x.mean([0], keepdim: true);
        return centred.pow(2).mean([0], keepdim: true).sqrt().clamp_min(1e-3);
    }

    public static Tensor Apply(Tensor x, double scale, Generator generator)
    {
        if (scale == 0) return x.alias();
        var eps = randn(x.shape, dtype: x.dtype, generator: generator);
        return x + ColumnStd(x) * eps * scale;
    }
}

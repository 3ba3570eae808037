using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Training-only input noise (spec 01 §3.3): X̃ = X + scale·σ ⊙ ε, σ_j the population std of column j over the
/// batch (divide by B), clamped below at 1e-3, ε ~ N(0,1) from the trainer's own generator.
/// </summary>
public static class InputNoise
{
    /// <summary>Population std of each column [1, d] as ‖x_:j − x̄_j‖/√B: one fused reduction instead of square, mean and sqrt.</summary>
    public static Tensor ColumnStd(Tensor x) =>
        (linalg.vector_norm(x - x.mean([0], keepdim: true), 2, [0], keepdim: true) / Math.Sqrt(x.shape[0])).clamp_min(1e-3);

    public static Tensor Apply(Tensor x, double scale, Generator generator)
    {
        if (scale == 0) return x.alias();
        // ε is drawn on the CPU (where the generator lives) and moved: the noise stream is the same on every device.
        var eps = randn(x.shape, dtype: x.dtype, generator: generator).to(x.device);
        // x + (scale·σ) ⊙ ε in one pass over the batch; scale·σ is only [1, d].
        return addcmul(x, ColumnStd(x) * scale, eps, 1);
    }
}

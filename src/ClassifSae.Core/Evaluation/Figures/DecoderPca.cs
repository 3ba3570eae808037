using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Figures;

/// <summary>
/// The 2-D PCA of spec 02 §4.5: row-normalise the test states, standardise each dimension, fit PCA(2), and project
/// concept directions and the class prototypes (mean normalised state per class) with the same scaler and axes.
/// </summary>
public sealed record DecoderPca(double[][] Directions, double[][] Prototypes)
{
    /// <param name="hidden">test states [N, D]</param>
    /// <param name="directions">rows to project [M, D] (decoder rows)</param>
    /// <param name="truth">true labels of the N states</param>
    public static DecoderPca Compute(Tensor hidden, Tensor directions, IReadOnlyList<long> truth, int classes)
    {
        using var scope = NewDisposeScope();
        var x = hidden.to(ScalarType.Float64);
        var u = x / x.norm(1, keepdim: true).clamp_min(1e-12);
        var mean = u.mean([0L], keepdim: true);
        var std = u.std(0, unbiased: false, keepdim: true);
        std = where(std > 1e-12, std, ones_like(std));
        // Right singular vectors of the centred, standardised states are the principal axes.
        var (_, _, vh) = linalg.svd((u - mean) / std, fullMatrices: false);
        var axes = vh[..2].T;
        // Fix each axis's sign (largest loading positive) so figures do not mirror between runs.
        var pivot = axes.abs().argmax(dim: 0);
        axes = axes * axes.gather(0, pivot.unsqueeze(0)).sign();
        double[][] Project(Tensor rows)
        {
            var p = ((rows.to(ScalarType.Float64) - mean) / std).matmul(axes).data<double>().ToArray();
            return Enumerable.Range(0, p.Length / 2).Select(i => new[] { p[2 * i], p[2 * i + 1] }).ToArray();
        }
        var y = tensor(truth.ToArray());
        var prototypes = Enumerable.Range(0, classes).Select(c =>
        {
            var rows = y.eq(c).nonzero().flatten();
            return rows.numel() == 0 ? new[] { double.NaN, double.NaN } : Project(u.index_select(0, rows).mean([0L], keepdim: true))[0];
        }).ToArray();
        return new DecoderPca(Project(directions), prototypes);
    }
}

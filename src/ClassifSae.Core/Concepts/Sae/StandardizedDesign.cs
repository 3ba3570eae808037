using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// X standardised as StandardScaler does (population std, zero-variance columns get scale 1) without ever
/// materialising it: X may be sparse (TopK codes are ~10 non-zeros a row), and centring is applied as a rank-one
/// correction, Xs W = X (W/σ) − 1 (μ/σ)ᵀ W and Xsᵀ G = ((Xᵀ G) − μ 1ᵀG) / σ.
/// </summary>
public sealed class StandardizedDesign : IDisposable
{
    private readonly Tensor _x;
    private readonly Tensor _mean;
    private readonly Tensor _invStd;

    /// <param name="x">[N, F] fp32, dense or sparse COO; the statistics are the given rows'.</param>
    public StandardizedDesign(Tensor x)
    {
        using var scope = NewDisposeScope();
        _x = x.to(ScalarType.Float64).MoveToOuterDisposeScope();
        var n = x.size(0);
        var sum = Dense(_x.sum([0]));
        var sumSq = Dense((_x * _x).sum([0]));
        var mean = sum / n;
        var variance = (sumSq / n - mean * mean).clamp_min(0);
        var std = variance.sqrt();
        std = where(std.le(1e-12), ones_like(std), std);
        _mean = mean.MoveToOuterDisposeScope();
        _invStd = (1 / std).MoveToOuterDisposeScope();
    }

    private StandardizedDesign(Tensor x, Tensor mean, Tensor invStd)
    {
        _x = x;
        _mean = mean;
        _invStd = invStd;
    }

    public long Rows => _x.size(0);
    public long Features => _x.size(1);

    /// <summary>The given rows, standardised with the parent's statistics (a CV fold).</summary>
    public StandardizedDesign Subset(long[] rows)
    {
        using var idx = tensor(rows);
        return new StandardizedDesign(_x.index_select(0, idx), _mean.clone(), _invStd.clone());
    }

    /// <summary>Xs W for W [F, K]: [N, K].</summary>
    public Tensor Times(Tensor w)
    {
        using var scope = NewDisposeScope();
        var scaled = w * _invStd.unsqueeze(1);
        var shift = _mean.unsqueeze(0).matmul(scaled);
        return (_x.matmul(scaled) - shift).MoveToOuterDisposeScope();
    }

    /// <summary>Xsᵀ G for G [N, K]: [F, K].</summary>
    public Tensor TransposeTimes(Tensor g)
    {
        using var scope = NewDisposeScope();
        var xtG = _x.t().matmul(g);
        var correction = _mean.unsqueeze(1) * g.sum([0]).unsqueeze(0);
        return ((xtG - correction) * _invStd.unsqueeze(1)).MoveToOuterDisposeScope();
    }

    private static Tensor Dense(Tensor t) => t.is_sparse ? t.to_dense() : t;

    public void Dispose()
    {
        _x.Dispose();
        _mean.Dispose();
        _invStd.Dispose();
    }
}

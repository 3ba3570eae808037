using static TorchSharp.torch;

namespace ClassifSae.SentenceEncoders;

/// <summary>
/// Halko–Martinsson–Tropp randomized SVD of a sparse matrix (the algorithm of scikit-learn's <c>TruncatedSVD</c>):
/// a seeded Gaussian sketch, a few power iterations with QR re-orthonormalisation, then an exact SVD of the small
/// projected matrix. Signs are fixed so each direction's largest-magnitude loading is positive, for reproducibility.
/// </summary>
internal static class RandomizedSvd
{
    public const int Oversampling = 10;
    public const int PowerIterations = 4;

    /// <returns>[columns, dim] row-major: the top right singular vectors as columns</returns>
    public static float[] TopRightSingularVectors(SparseRows x, int dim, long seed)
    {
        using var scope = NewDisposeScope();
        var l = Math.Min(dim + Oversampling, Math.Min(x.RowCount, x.ColumnCount));
        using var gen = new Generator((ulong)seed);
        var omega = randn([x.ColumnCount, l], generator: gen);
        var q = Orthonormal(x.Times(Floats(omega), l), x.RowCount, l);
        for (var i = 0; i < PowerIterations; i++)
        {
            var z = Orthonormal(x.TransposeTimes(Floats(q), l), x.ColumnCount, l);
            q = Orthonormal(x.Times(Floats(z), l), x.RowCount, l);
        }
        var bt = tensor(x.TransposeTimes(Floats(q), l), [x.ColumnCount, l]).to(ScalarType.Float64); // Bᵀ = Xᵀ Q
        var (u, _, _) = linalg.svd(bt, fullMatrices: false); // left vectors of Bᵀ = right vectors of B = of X
        var v = u[.., ..dim];
        var pivot = v.abs().argmax(0);
        var signs = v.gather(0, pivot.unsqueeze(0)).sign();
        return Floats((v * signs).to(ScalarType.Float32).contiguous());
    }

    private static Tensor Orthonormal(float[] y, int rows, int l)
    {
        var (q, _) = linalg.qr(tensor(y, [rows, l]).to(ScalarType.Float64));
        return q.to(ScalarType.Float32).contiguous();
    }

    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();
}

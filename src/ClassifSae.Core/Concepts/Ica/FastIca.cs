using ClassifSae.Numerics;
using ClassifSae.Settings;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Ica;

/// <summary>
/// FastICA with scikit-learn 1.5.1 semantics (spec 02 §2.1), started from NumPy's RandomState(seed).normal: centre, whiten with the top-m singular vectors (sign
/// fixed so each first entry is ≥ 0), symmetric-decorrelation fixed point with logcosh, then unit-variance sources.
/// Computed in fp64; the covariance is accumulated in row chunks so N × d never has to exist in fp64.
/// </summary>
public static class FastIca
{
    private const int Chunk = 8192;

    /// <param name="seed">Seeds w_init = numpy.random.RandomState(seed).normal(size=(m, m)), as scikit-learn's random_state does.</param>
    public static IcaModel Fit(Tensor x, IcaSettings settings, long seed)
    {
        var n = x.size(0);
        var d = x.size(1);
        var check = new SettingsCheck();
        settings.Check(check, (int)d, n);
        check.ThrowIfAny(m => new ArgumentException(m));
        var m = settings.Components;
        using var scope = NewDisposeScope();
        using var _ = no_grad();

        var mean = zeros(d, dtype: ScalarType.Float64);
        foreach (var c in Chunks(x)) mean += c.to(ScalarType.Float64).sum([0]);
        mean /= n;
        var gram = zeros(d, d, dtype: ScalarType.Float64);
        foreach (var c in Chunks(x))
        {
            var xc = c.to(ScalarType.Float64) - mean;
            gram += xc.t().matmul(xc);
        }

        // Left singular vectors of Xcᵀ = eigenvectors of Xcᵀ Xc, singular values = √eigenvalues (descending).
        var (evals, evecs) = linalg.eigh(gram);
        var top = arange(d - 1, d - 1 - m, -1, dtype: ScalarType.Int64);
        var u = evecs.index_select(1, top);
        var sv = evals.index_select(0, top).clamp_min(1e-300).sqrt();
        var sign = u[0].sign();
        sign = where(sign.eq(0), ones_like(sign), sign);
        u *= sign;
        var k = (u / sv).t();                                      // [m, d]

        var x1 = cat(Chunks(x).Select(c => k.matmul((c.to(ScalarType.Float64) - mean).t())).ToList(), 1) * Math.Sqrt(n); // [m, n]

        // scikit-learn draws w_init = check_random_state(seed).normal(size=(m, m)): NumPy's legacy stream.
        var w = SymmetricDecorrelation(tensor(new NumpyRandomState(seed).Normal(m * m), [m, m]));
        var iterations = 0;
        var converged = false;
        for (var it = 0; it < settings.MaxIterations; it++)
        {
            using var step = NewDisposeScope();
            var g = tanh(w.matmul(x1));
            var gPrime = (1 - g.pow(2)).mean([1]);
            var wNew = SymmetricDecorrelation(g.matmul(x1.t()) / n - gPrime.unsqueeze(1) * w);
            var lim = ((wNew * w).sum(1).abs() - 1).abs().max().item<double>();
            w = wNew.MoveToOuterDisposeScope();
            iterations = it + 1;
            if (lim < settings.Tolerance) { converged = true; break; }
        }

        // Unit variance: S = W K Xcᵀ = W X1 / √n; divide each unmixing row by its source's population std.
        var sources = w.matmul(x1) / Math.Sqrt(n);
        var std = sources.std(1, unbiased: false);
        var components = w.matmul(k) / std.unsqueeze(1);
        var mixing = linalg.pinv(components);
        return new IcaModel(
            components.to(ScalarType.Float32).MoveToOuterDisposeScope(),
            mixing.to(ScalarType.Float32).MoveToOuterDisposeScope(),
            mean.to(ScalarType.Float32).MoveToOuterDisposeScope(),
            iterations, converged);
    }

    /// <summary>(W Wᵀ)^{-1/2} W via the eigendecomposition, eigenvalues clipped at the smallest positive double.</summary>
    public static Tensor SymmetricDecorrelation(Tensor w)
    {
        using var scope = NewDisposeScope();
        var (s, u) = linalg.eigh(w.matmul(w.t()));
        s = s.clamp_min(2.2250738585072014e-308); // numpy finfo(float64).tiny
        return (u * (1 / s.sqrt()).unsqueeze(0)).matmul(u.t()).matmul(w).MoveToOuterDisposeScope();
    }

    private static IEnumerable<Tensor> Chunks(Tensor x)
    {
        var n = x.size(0);
        for (long s = 0; s < n; s += Chunk) yield return x.narrow(0, s, Math.Min(Chunk, n - s));
    }
}

using ClassifSae.Numerics;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// A two-component 1-D Gaussian mixture with scikit-learn 1.2's <c>GaussianMixture</c> semantics as the original calls
/// it (spec 02 §6.4): one RandomState(0) shared by <c>n_init</c> = 10 initialisations, each from the labels of
/// <see cref="TwoMeans1D"/> (KMeans with its own tolerance, not run to exact convergence); EM with <c>tol</c> = 1e-3
/// on the mean log-likelihood, <c>reg_covar</c> = 1e-6, <c>max_iter</c> = 100; the first initialisation with the
/// highest lower bound is kept. Densities are evaluated as scikit-learn writes them (x·p − μ·p with p = 1/σ).
/// </summary>
public sealed record GaussianMixture1D(double[] Weights, double[] Means, double[] Variances, double LowerBound)
{
    public const double RegCovar = 1e-6;
    public const double Tolerance = 1e-3;
    public const int MaxIterations = 100;
    public const int Initialisations = 10;
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    public static GaussianMixture1D Fit(IReadOnlyList<double> x, int initialisations = Initialisations, long seed = 0)
    {
        if (x.Count < 2) throw new ArgumentException("a 2-component mixture needs at least 2 values", nameof(x));
        var n = x.Count;
        var rng = new NumpyRandomState(seed);
        GaussianMixture1D? best = null;
        var resp0 = new double[n];
        var resp1 = new double[n];
        var logProbNorm = new double[n];
        for (var init = 0; init < initialisations; init++)
        {
            var labels = TwoMeans1D.Labels(x, rng);
            for (var i = 0; i < n; i++) (resp0[i], resp1[i]) = labels[i] == 1 ? (0.0, 1.0) : (1.0, 0.0);
            var model = Estimate(x, resp0, resp1, initial: true);
            var lower = double.NegativeInfinity;
            for (var iter = 0; iter < MaxIterations; iter++)
            {
                var previous = lower;
                model.Responsibilities(x, resp0, resp1, logProbNorm);
                model = Estimate(x, resp0, resp1, initial: false);
                lower = NumpySum.Mean(logProbNorm);
                if (Math.Abs(lower - previous) < Tolerance) break;
            }
            if (best is null || lower > best.LowerBound) best = model with { LowerBound = lower };
        }
        return best!;
    }

    /// <summary>Index of the component with the larger mean: the "active" one.</summary>
    public int HighComponent => Means[1] > Means[0] ? 1 : 0;

    /// <summary>Active ⇔ 1 − P(lower-mean component | x) ≥ 0.5, exactly as the original evaluates it.</summary>
    public bool[] Active(IReadOnlyList<double> x)
    {
        var (resp0, resp1) = (new double[x.Count], new double[x.Count]);
        Responsibilities(x, resp0, resp1, new double[x.Count]);
        var low = HighComponent == 0 ? resp1 : resp0;
        return low.Select(p => 1 - p >= 0.5).ToArray();
    }

    /// <summary>E step: posterior of each component (exp of log_resp) and each sample's log-likelihood.</summary>
    private void Responsibilities(IReadOnlyList<double> x, double[] resp0, double[] resp1, double[] logProbNorm)
    {
        var (p0, p1) = (1.0 / Math.Sqrt(Variances[0]), 1.0 / Math.Sqrt(Variances[1]));
        var (w0, w1) = (Math.Log(Weights[0]), Math.Log(Weights[1]));
        for (var i = 0; i < x.Count; i++)
        {
            var l0 = LogGaussian(x[i], Means[0], p0) + w0;
            var l1 = LogGaussian(x[i], Means[1], p1) + w1;
            // scipy's logsumexp: shift by the (finite) maximum.
            var max = Math.Max(l0, l1);
            if (!double.IsFinite(max)) max = 0;
            var norm = Math.Log(Math.Exp(l0 - max) + Math.Exp(l1 - max)) + max;
            logProbNorm[i] = norm;
            resp0[i] = Math.Exp(l0 - norm);
            resp1[i] = Math.Exp(l1 - norm);
        }
    }

    private static double LogGaussian(double x, double mean, double precision)
    {
        var y = x * precision - mean * precision;
        return -0.5 * (Log2Pi + y * y) + Math.Log(precision);
    }

    /// <summary>_estimate_gaussian_parameters; weights are N_k / N at initialisation and N_k / ΣN_k after an E step.</summary>
    private static GaussianMixture1D Estimate(IReadOnlyList<double> x, double[] resp0, double[] resp1, bool initial)
    {
        // scikit-learn adds 10·eps to each component's mass so an empty component stays finite.
        const double eps = 10 * 2.220446049250313e-16;
        double n0 = 0, n1 = 0, s0 = 0, s1 = 0;
        for (var i = 0; i < x.Count; i++)
        {
            n0 += resp0[i];
            n1 += resp1[i];
            s0 += resp0[i] * x[i];
            s1 += resp1[i] * x[i];
        }
        n0 += eps;
        n1 += eps;
        var (m0, m1) = (s0 / n0, s1 / n1);
        double v0 = 0, v1 = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var (d0, d1) = (x[i] - m0, x[i] - m1);
            v0 += resp0[i] * d0 * d0;
            v1 += resp1[i] * d1 * d1;
        }
        var total = initial ? x.Count : n0 + n1;
        return new GaussianMixture1D([n0 / total, n1 / total], [m0, m1], [v0 / n0 + RegCovar, v1 / n1 + RegCovar], double.NegativeInfinity);
    }
}

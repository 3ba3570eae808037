namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// A two-component 1-D Gaussian mixture fitted by EM with the settings of sklearn's <c>GaussianMixture</c> used by the
/// original (spec 02 §6.4): 2-means initialisation (k-means++ seeding), <c>n_init</c> = 10 keeping the best lower bound,
/// <c>tol</c> = 1e-3 on the mean log-likelihood, <c>reg_covar</c> = 1e-6, <c>max_iter</c> = 100. The RNG differs from
/// numpy's, so only the initialisations differ; in 1-D they almost always converge to the same optimum.
/// </summary>
public sealed record GaussianMixture1D(double[] Weights, double[] Means, double[] Variances, double LowerBound)
{
    public const double RegCovar = 1e-6;
    public const double Tolerance = 1e-3;
    public const int MaxIterations = 100;
    public const int Initialisations = 10;

    public static GaussianMixture1D Fit(IReadOnlyList<double> x, int initialisations = Initialisations, ulong seed = 0)
    {
        if (x.Count < 2) throw new ArgumentException("a 2-component mixture needs at least 2 values", nameof(x));
        var rng = new Data.SplitMix64((long)seed);
        GaussianMixture1D? best = null;
        var resp = new double[x.Count];
        for (var init = 0; init < initialisations; init++)
        {
            TwoMeansLabels(x, rng, resp);
            var model = MStep(x, resp);
            var lower = double.NegativeInfinity;
            for (var iter = 0; iter < MaxIterations; iter++)
            {
                var previous = lower;
                lower = model.EStep(x, resp);
                model = MStep(x, resp) with { LowerBound = lower };
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
        var low = 1 - HighComponent;
        var active = new bool[x.Count];
        for (var i = 0; i < x.Count; i++)
        {
            var (l0, l1) = (LogWeighted(0, x[i]), LogWeighted(1, x[i]));
            var norm = LogSumExp(l0, l1);
            var pLow = Math.Exp((low == 0 ? l0 : l1) - norm);
            active[i] = 1 - pLow >= 0.5;
        }
        return active;
    }

    /// <summary>E step: fills the responsibility of component 1 and returns the mean log-likelihood.</summary>
    private double EStep(IReadOnlyList<double> x, double[] resp1)
    {
        double total = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var (l0, l1) = (LogWeighted(0, x[i]), LogWeighted(1, x[i]));
            var norm = LogSumExp(l0, l1);
            resp1[i] = Math.Exp(l1 - norm);
            total += norm;
        }
        return total / x.Count;
    }

    private static GaussianMixture1D MStep(IReadOnlyList<double> x, double[] resp1)
    {
        // sklearn adds 10·eps to each component's mass so an empty component stays finite.
        const double eps = 10 * 2.220446049250313e-16;
        double n1 = eps, n0 = eps, s1 = 0, s0 = 0;
        for (var i = 0; i < x.Count; i++)
        {
            n1 += resp1[i];
            n0 += 1 - resp1[i];
            s1 += resp1[i] * x[i];
            s0 += (1 - resp1[i]) * x[i];
        }
        var (m0, m1) = (s0 / n0, s1 / n1);
        double v0 = 0, v1 = 0;
        for (var i = 0; i < x.Count; i++)
        {
            v1 += resp1[i] * (x[i] - m1) * (x[i] - m1);
            v0 += (1 - resp1[i]) * (x[i] - m0) * (x[i] - m0);
        }
        var total = n0 + n1;
        return new GaussianMixture1D([n0 / total, n1 / total], [m0, m1], [v0 / n0 + RegCovar, v1 / n1 + RegCovar], double.NegativeInfinity);
    }

    private double LogWeighted(int c, double x) =>
        Math.Log(Weights[c]) - 0.5 * (Math.Log(2 * Math.PI * Variances[c]) + (x - Means[c]) * (x - Means[c]) / Variances[c]);

    private static double LogSumExp(double a, double b)
    {
        var m = Math.Max(a, b);
        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }

    /// <summary>Hard 2-means labels (k-means++ seeding, then Lloyd iterations) written as responsibilities of component 1.</summary>
    private static void TwoMeansLabels(IReadOnlyList<double> x, Data.SplitMix64 rng, double[] resp1)
    {
        var n = x.Count;
        var c0 = x[(int)(rng.NextDouble() * n) % n];
        double totalD = 0;
        var d2 = new double[n];
        for (var i = 0; i < n; i++) totalD += d2[i] = (x[i] - c0) * (x[i] - c0);
        var c1 = c0;
        if (totalD > 0)
        {
            var r = rng.NextDouble() * totalD;
            for (var i = 0; i < n; i++)
            {
                r -= d2[i];
                if (r <= 0) { c1 = x[i]; break; }
            }
        }
        for (var iter = 0; iter < 300; iter++)
        {
            double s0 = 0, s1 = 0;
            int n0 = 0, n1 = 0;
            for (var i = 0; i < n; i++)
            {
                var one = Math.Abs(x[i] - c1) < Math.Abs(x[i] - c0);
                resp1[i] = one ? 1 : 0;
                if (one) { s1 += x[i]; n1++; } else { s0 += x[i]; n0++; }
            }
            var (nc0, nc1) = (n0 > 0 ? s0 / n0 : c0, n1 > 0 ? s1 / n1 : c1);
            if (nc0 == c0 && nc1 == c1) break;
            (c0, c1) = (nc0, nc1);
        }
    }
}

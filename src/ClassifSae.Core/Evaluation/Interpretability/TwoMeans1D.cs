using ClassifSae.Numerics;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// scikit-learn 1.2's KMeans(n_clusters=2, n_init=1, random_state=rng) on one column, as GaussianMixture's
/// init_params='kmeans' runs it: data centred on its mean, k-means++ seeding (randint for the first centre, two
/// uniform draws for the local trials, squared distances as −2xc + c² + x²), then Lloyd iterations that stop when
/// the labels repeat or the squared centre shift is at most tol = 1e-4 × var(x), followed by a last assignment.
/// </summary>
public static class TwoMeans1D
{
    public const double Tolerance = 1e-4;
    private const int MaxIterations = 300;

    public static int[] Labels(IReadOnlyList<double> values, NumpyRandomState rng)
    {
        var n = values.Count;
        var raw = values.ToArray();
        var mean = NumpySum.Mean(raw);
        var deviations = raw.Select(v => (v - mean) * (v - mean)).ToArray();
        var tol = NumpySum.Mean(deviations) * Tolerance;
        var x = raw.Select(v => v - mean).ToArray();

        var centers = PlusPlus(x, rng);
        var labels = new int[n];
        var previous = Enumerable.Repeat(-1, n).ToArray();
        var strict = false;
        for (var it = 0; it < MaxIterations; it++)
        {
            var (updated, shift) = LloydStep(x, centers, labels);
            centers = updated;
            if (labels.AsSpan().SequenceEqual(previous)) { strict = true; break; }
            if (shift <= tol) break;
            labels.CopyTo(previous, 0);
        }
        if (!strict) Assign(x, centers, labels);
        return labels;
    }

    private static double[] PlusPlus(double[] x, NumpyRandomState rng)
    {
        var n = x.Length;
        var first = x[(int)rng.RandInt(0, n)];
        var closest = Distances(x, first);
        var pot = NumpySum.Pairwise(closest);
        // n_local_trials = 2 + int(log(2)) = 2 candidates for the second centre.
        double[] rand = [rng.NextDouble() * pot, rng.NextDouble() * pot];
        var cumulative = new double[n];
        var running = 0.0;
        for (var i = 0; i < n; i++) cumulative[i] = running += closest[i];
        var bestPot = double.PositiveInfinity;
        var second = first;
        foreach (var r in rand)
        {
            var id = Array.BinarySearch(cumulative, r);
            if (id < 0) id = ~id;
            else while (id > 0 && cumulative[id - 1] == r) id--;   // searchsorted 'left'
            id = Math.Min(id, n - 1);
            var d = Distances(x, x[id]);
            for (var i = 0; i < n; i++) d[i] = Math.Min(closest[i], d[i]);
            var candidatePot = NumpySum.Pairwise(d);
            if (candidatePot < bestPot) { bestPot = candidatePot; second = x[id]; }
        }
        return [first, second];
    }

    /// <summary>scikit-learn's _euclidean_distances(c, X, squared=True) in float64: max(−2·(c·x) + c² + x², 0).</summary>
    private static double[] Distances(double[] x, double c)
    {
        var d = new double[x.Length];
        for (var i = 0; i < x.Length; i++) d[i] = Math.Max(-2 * (c * x[i]) + c * c + x[i] * x[i], 0);
        return d;
    }

    private static int Nearest(double x, double[] centers)
    {
        // Only −2xc + c² matters for the argmin; the first centre wins ties.
        var d0 = centers[0] * centers[0] + -2 * (x * centers[0]);
        var d1 = centers[1] * centers[1] + -2 * (x * centers[1]);
        return d1 < d0 ? 1 : 0;
    }

    private static void Assign(double[] x, double[] centers, int[] labels)
    {
        for (var i = 0; i < x.Length; i++) labels[i] = Nearest(x[i], centers);
    }

    /// <summary>One lloyd_iter: assign, accumulate, relocate an empty cluster, average (× 1/weight); returns the new centres and Σ shift².</summary>
    private static (double[] Centers, double Shift) LloydStep(double[] x, double[] centers, int[] labels)
    {
        var sums = new double[2];
        var weights = new double[2];
        for (var i = 0; i < x.Length; i++)
        {
            var label = labels[i] = Nearest(x[i], centers);
            weights[label] += 1;
            sums[label] += x[i];
        }
        for (var empty = 0; empty < 2; empty++)
        {
            if (weights[empty] != 0) continue;
            // _relocate_empty_clusters_dense: the sample farthest from its centre founds the empty cluster.
            var far = 0;
            for (var i = 1; i < x.Length; i++)
                if (Square(x[i] - centers[labels[i]]) > Square(x[far] - centers[labels[far]])) far = i;
            sums[labels[far]] -= x[far];
            sums[empty] = x[far];
            weights[empty] = 1;
            weights[labels[far]] -= 1;
        }
        var updated = new double[2];
        var shift = 0.0;
        for (var j = 0; j < 2; j++)
        {
            updated[j] = weights[j] > 0 ? sums[j] * (1.0 / weights[j]) : sums[j];
            shift += Square(Math.Sqrt(Square(updated[j] - centers[j])));
        }
        return (updated, shift);
    }

    private static double Square(double v) => v * v;
}

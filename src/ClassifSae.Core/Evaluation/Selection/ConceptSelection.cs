using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Selection;

/// <summary>
/// z_class selection and class segmentation (spec 02 §3; upstream's rule, spec 04 §6.1, through the optional arguments).
/// Candidates keep their order; the dead filter keeps a feature iff its mean absolute activation over the test set exceeds
/// 1e-5 (upstream: 1e-6).
/// </summary>
public static class ConceptSelection
{
    public const double DeadThreshold = 1e-5;

    /// <param name="activations">unmasked concept activations A [N, F]</param>
    public static int[] Select(Tensor activations, IReadOnlyList<int> candidates, double deadThreshold = DeadThreshold)
    {
        using var meanAbs = activations.abs().mean([0]);
        var m = meanAbs.data<float>().ToArray();
        return candidates.Where(j => m[j] > deadThreshold).ToArray();
    }

    /// <summary>
    /// Segments (spec 02 §3.3): class of feature j = argmax_c of its signed activation sum over class-c sentences
    /// divided by the total (uniform if the total is exactly 0, first class on ties); each segment sorted by decreasing
    /// mean |A|, ties by index. <paramref name="byClassMeans"/> (upstream, spec 04 §6.1): the class MEAN instead of the sum
    /// (0 for a class without sentences), which differs when the classes are imbalanced.
    /// </summary>
    public static int[][] Segment(Tensor activations, IReadOnlyList<long> trueLabels, int classes, IReadOnlyList<int> selected, bool byClassMeans = false)
    {
        var a = activations.to(ScalarType.Float64);
        var n = (int)a.size(0);
        var f = (int)a.size(1);
        var data = a.data<double>().ToArray();
        var sums = new double[classes, f];
        var meanAbs = new double[f];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < f; j++)
            {
                var v = data[i * f + j];
                sums[trueLabels[i], j] += v;
                meanAbs[j] += Math.Abs(v) / n;
            }
        if (byClassMeans)
        {
            var counts = new long[classes];
            foreach (var y in trueLabels) counts[y]++;
            for (var c = 0; c < classes; c++)
                for (var j = 0; j < f; j++)
                    sums[c, j] = counts[c] == 0 ? 0 : sums[c, j] / counts[c];
        }
        var segments = Enumerable.Range(0, classes).Select(_ => new List<int>()).ToArray();
        foreach (var j in selected)
        {
            var total = 0.0;
            for (var c = 0; c < classes; c++) total += sums[c, j];
            var best = 0;
            var bestScore = double.NegativeInfinity;
            for (var c = 0; c < classes; c++)
            {
                var score = total == 0 ? 1.0 / classes : sums[c, j] / total;
                if (score > bestScore) { bestScore = score; best = c; }
            }
            segments[best].Add(j);
        }
        return segments.Select(s => s.OrderByDescending(j => meanAbs[j]).ThenBy(j => j).ToArray()).ToArray();
    }

    /// <summary>The class whose segment holds concept <paramref name="concept"/>, or null when none does.</summary>
    public static int? SegmentOf(IReadOnlyList<int[]> segments, int concept)
    {
        for (var c = 0; c < segments.Count; c++)
            if (segments[c].Contains(concept)) return c;
        return null;
    }
}

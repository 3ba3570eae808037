namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// Jenks natural breaks, exact (Fisher's dynamic programme, as jenkspy 0.4.1 computes it; spec 04 §6.4.3): the
/// partition of the sorted values into k contiguous classes that minimises the summed within-class squared deviations.
/// The order of every floating-point sum follows jenkspy's loop (each class's Σx and Σx² accumulated from its top value
/// down, in double), and a candidate replaces the best one when its total is ≤ the best so far, scanning upper-class
/// starts from the top down: among equal totals the larger upper class wins. Cost O(k·n²).
/// </summary>
public static class JenksBreaks
{
    /// <returns>k + 1 values: the minimum, then each class's maximum (jenkspy's <c>jenks_breaks</c>)</returns>
    public static double[] Compute(IEnumerable<double> values, int classes)
    {
        var data = values.ToArray();
        Array.Sort(data);
        var n = data.Length;
        if (classes < 2) throw new ArgumentException($"Jenks breaks need at least 2 classes, got {classes}");
        if (n <= classes) throw new ArgumentException($"Jenks breaks into {classes} classes need more than {classes} values, got {n}");
        if (data.Any(v => !double.IsFinite(v))) throw new ArgumentException("Jenks breaks need finite values");

        // lowerLimit[l, j] / cost[l, j]: 1-based start of the top class and the least total SSD of data[0..l-1] in j classes.
        var lowerLimit = new int[n + 1, classes + 1];
        var cost = new double[n + 1, classes + 1];
        for (var j = 1; j <= classes; j++)
        {
            lowerLimit[1, j] = 1;
            for (var l = 2; l <= n; l++) cost[l, j] = double.PositiveInfinity;
        }
        for (var l = 2; l <= n; l++)
        {
            double s1 = 0, s2 = 0, w = 0, ssd = 0;
            for (var m = 1; m <= l; m++)
            {
                var start = l - m + 1;                       // 1-based first index of the top class data[start-1..l-1]
                var v = data[start - 1];
                s2 += v * v;
                s1 += v;
                w += 1;
                ssd = s2 - s1 * s1 / w;
                var below = start - 1;
                if (below == 0) continue;
                for (var j = 2; j <= classes; j++)
                {
                    var total = ssd + cost[below, j - 1];
                    if (cost[l, j] >= total)
                    {
                        lowerLimit[l, j] = start;
                        cost[l, j] = total;
                    }
                }
            }
            lowerLimit[l, 1] = 1;
            cost[l, 1] = ssd;
        }
        var breaks = new double[classes + 1];
        breaks[classes] = data[n - 1];
        breaks[0] = data[0];
        var k = n;
        for (var j = classes; j >= 2; j--)
        {
            var start = lowerLimit[k, j];
            breaks[j - 1] = data[start - 2];
            k = start - 1;
        }
        return breaks;
    }
}

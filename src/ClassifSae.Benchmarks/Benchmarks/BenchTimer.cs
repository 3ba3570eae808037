using System.Diagnostics;

namespace ClassifSae.Benchmarks;

/// <summary>Warm-up then repeated wall-clock timing; the median resists the noise of a shared machine.</summary>
public static class BenchTimer
{
    public static double[] Time(Action iteration, int warmup, int repetitions)
    {
        for (var i = 0; i < warmup; i++) iteration();
        BenchDevice.Synchronize();
        var seconds = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var sw = Stopwatch.StartNew();
            iteration();
            BenchDevice.Synchronize();
            seconds[i] = sw.Elapsed.TotalSeconds;
        }
        return seconds;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no timings", nameof(values));
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

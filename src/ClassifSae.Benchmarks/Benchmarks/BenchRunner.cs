using ClassifSae.Benchmarks.Profiling;
using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>Thread settings in force during a Bench run, logged with the results.</summary>
public sealed record BenchEnvironment(int IntraOpThreads, int InterOpThreads, int LogicalCores, bool PerCasePeak);

/// <summary>
/// Runs the ceilings first, then every case, each built, measured and disposed in turn with its own peak-memory window.
/// On a shared machine the available compute drifts within minutes, so each case's ratio divides by a ceiling of its
/// dtype re-measured right before and right after it (median of both bursts), not by the one at the start.
/// A failing case becomes a row with its error in the notes, so one broken path does not hide the others.
/// </summary>
public static class BenchRunner
{
    private const int AdjacentCeilingReps = 3;

    public static (BenchEnvironment Environment, IReadOnlyList<BenchResult> Results) Run(
        IReadOnlyList<BenchCaseSpec> ceilings, IReadOnlyList<BenchCaseSpec> cases, Action<string>? log = null, Func<string, bool>? filter = null,
        PyTorchReference? pytorch = null, PerfRecorder? profiler = null)
    {
        var perCasePeak = ProcessMemory.ResetPeak();
        var env = new BenchEnvironment(get_num_threads(), get_num_interop_threads(), Environment.ProcessorCount, perCasePeak);
        log?.Invoke($"threads: intra-op {env.IntraOpThreads}, inter-op {env.InterOpThreads}, logical cores {env.LogicalCores}");
        var results = new List<BenchResult>();
        var ceilingCases = new Dictionary<string, IBenchCase>();
        try
        {
            foreach (var spec in ceilings)
            {
                var c = spec.Create();
                ceilingCases[c.Dtype] = c;
                var r = Measure(spec, c, _ => 0, log);
                results.Add(r with { CeilingGflops = r.Gflops });
            }
            foreach (var spec in cases.Where(c => filter?.Invoke(c.Name) ?? true))
            {
                var ours = MeasureWithAdjacentCeiling(spec, ceilingCases, log, profiler);
                results.Add(pytorch is null ? ours : WithPyTorch(ours, spec, pytorch, env.IntraOpThreads, log));
            }
        }
        finally
        {
            foreach (var c in ceilingCases.Values) c.Dispose();
        }
        return (env, results);
    }

    private static BenchResult MeasureWithAdjacentCeiling(BenchCaseSpec spec, Dictionary<string, IBenchCase> ceilings, Action<string>? log,
        PerfRecorder? profiler)
    {
        if (!ceilings.TryGetValue(spec.Dtype, out var ceiling)) return MeasureFresh(spec, log, profiler);
        var before = ceiling.Measure(0, AdjacentCeilingReps);
        var result = MeasureFresh(spec, log, profiler);
        if (result.Dtype != spec.Dtype) return result;
        var after = ceiling.Measure(0, AdjacentCeilingReps);
        var seconds = BenchTimer.Median(before.Concat(after).ToArray());
        var adjusted = result with { CeilingGflops = ceiling.FlopsPerIteration / seconds / 1e9 };
        log?.Invoke($"  adjacent {result.Dtype} ceiling {adjusted.CeilingGflops:F1} GFLOP/s → ratio {adjusted.Ratio:P0}");
        return adjusted;
    }

    /// <summary>PyTorch's run of the same case, right after ours; a failure is noted on the row, not fatal.</summary>
    private static BenchResult WithPyTorch(BenchResult ours, BenchCaseSpec spec, PyTorchReference pytorch, int threads, Action<string>? log)
    {
        if (!double.IsFinite(ours.MedianSeconds) || !pytorch.Covers(spec.Name)) return ours;
        try
        {
            var theirs = pytorch.Measure(spec.Name, threads, spec.Warmup, spec.Repetitions);
            var result = ours with { PyTorch = theirs };
            log?.Invoke($"  PyTorch {theirs.TorchVersion}: {theirs.MedianSeconds * 1e3:F1} ms → ours is {result.SpeedVsPyTorch:F2}× PyTorch's speed");
            return result;
        }
        catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            log?.Invoke($"  PyTorch: FAILED {e.Message}");
            return ours with { Notes = (ours.Notes + $" PyTorch failed: {e.Message}").Trim() };
        }
    }

    private static BenchResult MeasureFresh(BenchCaseSpec spec, Action<string>? log, PerfRecorder? profiler)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ProcessMemory.ResetPeak();
        try
        {
            using var c = spec.Create();
            var result = Measure(spec, c, _ => 0, log);
            return profiler is null ? result : WithProfile(result, spec, c, profiler, log);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log?.Invoke($"{spec.Name}: FAILED {e.Message}");
            return new BenchResult(spec.Name, "", "", "", 0, double.NaN, double.NaN, 0, ProcessMemory.PeakMb(), 0, "", $"failed: {e.Message}");
        }
    }

    /// <summary>
    /// A second pass of the timed iterations under perf, after the timing, so the sampling never slows the timed numbers.
    /// </summary>
    private static BenchResult WithProfile(BenchResult result, BenchCaseSpec spec, IBenchCase c, PerfRecorder profiler, Action<string>? log)
    {
        try
        {
            var profile = profiler.Profile(c.Name, () => c.Measure(0, spec.Repetitions));
            log?.Invoke($"  profile: " + string.Join(", ", profile.Categories.Take(4).Select(x => $"{x.Category} {x.Percent:F0} %")));
            return result with { Profile = profile };
        }
        catch (InvalidOperationException e)
        {
            log?.Invoke($"  profile: FAILED {e.Message}");
            return result with { Notes = (result.Notes + $" profile failed: {e.Message}").Trim() };
        }
    }

    private static BenchResult Measure(BenchCaseSpec spec, IBenchCase c, Func<string, double> ceiling, Action<string>? log)
    {
        var seconds = c.Measure(spec.Warmup, spec.Repetitions);
        var median = BenchTimer.Median(seconds);
        var (amount, unit) = c.Work;
        var result = new BenchResult(c.Name, c.Shape, c.Dtype, c.FlopFormula, c.FlopsPerIteration, median, seconds.Min(),
            seconds.Length, ProcessMemory.PeakMb(), ceiling(c.Dtype), $"{amount / median:N0} {unit}/s", c.Notes)
        {
            Extra = c is IBenchExtraMetrics e ? e.ExtraMetrics : [],
        };
        log?.Invoke($"{result.Name}: {result.MedianSeconds * 1e3:F1} ms (min {result.MinSeconds * 1e3:F1}), {result.Gflops:F1} GFLOP/s, peak {result.PeakMemoryMb:F0} MB");
        return result;
    }
}

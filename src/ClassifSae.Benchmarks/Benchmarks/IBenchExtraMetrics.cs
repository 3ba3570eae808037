namespace ClassifSae.Benchmarks;

/// <summary>
/// A case that measures a number besides its own time, e.g. the cost of one pass relative to another pass it times
/// back-to-back in the same process (a ratio within one case survives the drift of a shared machine better than two rows).
/// Read by the runner after <see cref="IBenchCase.Measure"/>, stored as extra metrics of the case's row.
/// </summary>
public interface IBenchExtraMetrics
{
    IReadOnlyList<BenchMetric> ExtraMetrics { get; }
}

/// <summary>One extra metric of a Bench row (metric name as stored, e.g. "ablation_cost_ratio").</summary>
public sealed record BenchMetric(string Metric, double Value);

namespace ClassifSae.Benchmarks;

/// <summary>
/// One measured case. <see cref="Gflops"/> is the counted work over the median time; <see cref="Ratio"/> divides it by the
/// matmul ceiling of the same dtype measured in the same process, so rows compare across noisy, shared machines.
/// </summary>
public sealed record BenchResult(
    string Name,
    string Shape,
    string Dtype,
    string FlopFormula,
    double FlopsPerIteration,
    double MedianSeconds,
    double MinSeconds,
    int Repetitions,
    double PeakMemoryMb,
    double CeilingGflops,
    string Throughput,
    string Notes)
{
    /// <summary>Numbers the case measured besides its time (<see cref="IBenchExtraMetrics"/>); stored like the others.</summary>
    public IReadOnlyList<BenchMetric> Extra { get; init; } = [];

    /// <summary>Where the case's time went, when Bench ran with --profile-ops (null otherwise).</summary>
    public Profiling.OpProfile? Profile { get; init; }

    /// <summary>The same case run by PyTorch right after ours (null when not measured).</summary>
    public PyTorchMeasurement? PyTorch { get; init; }

    /// <summary>How many times faster than PyTorch: its median time over ours (&gt; 1: we are faster).</summary>
    public double SpeedVsPyTorch => PyTorch is null ? double.NaN : PyTorch.MedianSeconds / MedianSeconds;

    public double Gflops => FlopsPerIteration / MedianSeconds / 1e9;
    public double Ratio => CeilingGflops > 0 ? Gflops / CeilingGflops : double.NaN;
}

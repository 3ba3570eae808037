using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// The machine's memory-bandwidth ceiling: copying a buffer far larger than the caches (read n floats, write n floats),
/// timed in this process. Memory-bound cases (the optimizer's pass over every parameter) divide by it, as compute-bound
/// cases divide by the matmul; its "GFLOP/s" columns are GB/s.
/// </summary>
public sealed class MemoryBandwidthCeiling : IBenchCase
{
    public const string Kind = "bytes";
    private readonly Tensor _source;
    private readonly Tensor _target;

    public MemoryBandwidthCeiling(long floats)
    {
        _source = ones(floats, device: BenchDevice.Current).DetachFromDisposeScope();
        _target = zeros(floats, device: BenchDevice.Current).DetachFromDisposeScope();   // touched once here: no page faults timed
    }

    public string Name => "memcopy_bytes";
    public string Shape => $"{_source.numel() * 4 / (1 << 20)} MB float32 copy";
    public string Dtype => Kind;
    public string FlopFormula => "bytes: 2·4·n (read + write)";
    public double FlopsPerIteration => 8.0 * _source.numel();
    public (double Amount, string Unit) Work => (_source.numel() * 8.0 / 1e9, "GB");
    public string Notes => "the bandwidth ceiling memory-bound cases divide by (GB/s in the GFLOP/s columns)";

    public double[] Measure(int warmup, int repetitions) => BenchTimer.Time(() => _target.copy_(_source), warmup, repetitions);

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// The machine's memory-bandwidth ceiling: an in-place update of a buffer far larger than the caches (read n floats,
/// write them back: the optimizer's read-modify-write pattern; a copy into another buffer would also pay the
/// write-allocate reads of its target and understate the bandwidth), timed in this process. Memory-bound cases (the optimizer's pass over every parameter) divide by it, as compute-bound
/// cases divide by the matmul; its "GFLOP/s" columns are GB/s.
/// </summary>
public sealed class MemoryBandwidthCeiling : IBenchCase
{
    public const string Kind = "bytes";
    private readonly Tensor _buffer;

    public MemoryBandwidthCeiling(long floats)
    {
        _buffer = zeros(floats, device: BenchDevice.Current).DetachFromDisposeScope();   // touched once here: no page faults timed
    }

    public string Name => "memupdate_bytes";
    public string Shape => $"{_buffer.numel() * 4 / (1 << 20)} MB float32, updated in place";
    public string Dtype => Kind;
    public string FlopFormula => "bytes: 2·4·n (read + write back)";
    public double FlopsPerIteration => 8.0 * _buffer.numel();
    public (double Amount, string Unit) Work => (_buffer.numel() * 8.0 / 1e9, "GB");
    public string Notes => "the bandwidth ceiling memory-bound cases divide by (GB/s in the GFLOP/s columns)";

    public double[] Measure(int warmup, int repetitions) => BenchTimer.Time(() => _buffer.add_(1), warmup, repetitions);

    public void Dispose()
    {
        _buffer.Dispose();
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>The machine's ceiling for a dtype: a square n³ matmul (2n³ FLOP) timed in this process.</summary>
public sealed class MatmulCeiling : IBenchCase
{
    private readonly Tensor _a;
    private readonly Tensor _b;
    private readonly int _n;

    public MatmulCeiling(int n, ScalarType dtype, long seed = 0)
    {
        _n = n;
        using var gen = new Generator((ulong)seed);
        _a = randn([n, n], generator: gen).to(dtype).to(BenchDevice.Current).DetachFromDisposeScope();
        _b = randn([n, n], generator: gen).to(dtype).to(BenchDevice.Current).DetachFromDisposeScope();
        Dtype = BenchDtype.Name(dtype);
    }

    public string Name => $"matmul_{Dtype}";
    public string Shape => $"{_n}×{_n}×{_n}";
    public string Dtype { get; }
    public string FlopFormula => "2·n³";
    public double FlopsPerIteration => 2.0 * _n * _n * _n;
    public (double Amount, string Unit) Work => (1, "matmul");
    public string Notes => "the ceiling every ratio divides by";

    // The 16 MB output allocation is timed too; it is noise next to 2n³ FLOP at n = 2048.
    public double[] Measure(int warmup, int repetitions) =>
        BenchTimer.Time(() => { using var _ = _a.matmul(_b); }, warmup, repetitions);

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}

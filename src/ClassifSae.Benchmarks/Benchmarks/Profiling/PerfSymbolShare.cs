namespace ClassifSae.Benchmarks.Profiling;

/// <summary>One line of `perf report`: the share of the samples that landed in one function of one library.</summary>
public sealed record PerfSymbolShare(double Percent, string Library, string Symbol);

namespace ClassifSae.Benchmarks;

/// <summary>
/// A hot path at one shape. Built lazily by the runner (so its memory counts towards its own peak), measured, then disposed.
/// </summary>
public interface IBenchCase : IDisposable
{
    string Name { get; }
    string Shape { get; }
    /// <summary>"float32" or "bfloat16": picks the ceiling the ratio is taken against.</summary>
    string Dtype { get; }
    /// <summary>How <see cref="FlopsPerIteration"/> is counted, e.g. "2·params·tokens".</summary>
    string FlopFormula { get; }
    double FlopsPerIteration { get; }
    /// <summary>Work per iteration in the unit users think in, e.g. "tokens/s" numerator: (amount, unit).</summary>
    (double Amount, string Unit) Work { get; }

    /// <summary>Seconds per iteration after <paramref name="warmup"/> untimed ones.</summary>
    double[] Measure(int warmup, int repetitions);

    /// <summary>Anything the reader needs to judge the row (padding waste, dead features, …).</summary>
    string Notes { get; }
}

/// <summary>A case to build, with its repetition counts (fewer at the big shapes keeps the whole Bench short).</summary>
public sealed record BenchCaseSpec(string Name, Func<IBenchCase> Create, int Warmup, int Repetitions, string Dtype = "float32");

namespace ClassifSae.Data;

/// <summary>
/// Tiny seeded PRNG (SplitMix64). Used instead of System.Random so that corpus generation is identical
/// for a seed on every runtime version, which keeps cached artefacts and reference numbers reproducible.
/// </summary>
internal sealed class SplitMix64(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n); the modulo bias is negligible for the tiny n used here.</summary>
    public int Next(int n) =>
        n > 0 ? (int)(NextUInt64() % (ulong)n) : throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive.");

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

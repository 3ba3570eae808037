namespace ClassifSae.Benchmarks;

/// <summary>
/// Realistic prompt lengths (template + text, Pythia tokenizer) and the by-length batching the pipeline does. The
/// spreads are rough: AG News prompts are 40–80 tokens (mean ≈ 60), IMDB prompts 150–450 (mean ≈ 300, after truncation).
/// </summary>
public sealed record PromptLengths(string Dataset, int Min, int Max)
{
    public static PromptLengths AgNews => new("ag_news", 40, 80);
    public static PromptLengths Imdb => new("imdb", 150, 450);

    /// <summary>Draws <paramref name="count"/> lengths, sorts them and cuts batches of <paramref name="batchSize"/>.</summary>
    public IReadOnlyList<int[]> BatchesByLength(int count, int batchSize, int seed)
    {
        var random = new Random(seed);
        var lengths = Enumerable.Range(0, count).Select(_ => random.Next(Min, Max + 1)).Order().ToArray();
        return lengths.Chunk(batchSize).ToList();
    }

    /// <summary>Padded tokens over real tokens, minus one, over all batches (0.05 = 5 % waste).</summary>
    public static double PaddingWaste(IEnumerable<int[]> batches)
    {
        long real = 0, padded = 0;
        foreach (var b in batches)
        {
            real += b.Sum();
            padded += (long)b.Max() * b.Length;
        }
        return (double)padded / real - 1;
    }
}

using System.Text.RegularExpressions;

namespace ClassifSae.SentenceEncoders;

/// <summary>
/// The TF-IDF half of the built-in encoder, with scikit-learn's <c>TfidfVectorizer</c> defaults where they matter:
/// lower-cased word tokens, smooth idf = ln((1+n)/(1+df)) + 1, raw term counts, L2-normalised rows. Words seen in fewer
/// than <c>minDf</c> training texts are dropped and the vocabulary is capped at the most frequent <c>maxFeatures</c>.
/// </summary>
public sealed partial class TfidfVocabulary
{
    private readonly Dictionary<string, int> _index;
    private readonly float[] _idf;

    private TfidfVocabulary(Dictionary<string, int> index, float[] idf) => (_index, _idf) = (index, idf);

    public int Count => _idf.Length;

    [GeneratedRegex(@"[\p{L}\p{N}]{2,}")]
    private static partial Regex WordPattern();

    public static IEnumerable<string> Words(string text) => WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    public static TfidfVocabulary Fit(IReadOnlyList<string> texts, int minDf = 2, int maxFeatures = 20_000)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in texts)
            foreach (var w in Words(t).Distinct())
                df[w] = df.GetValueOrDefault(w) + 1;
        var kept = df.Where(kv => kv.Value >= minDf).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxFeatures).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var idf = new float[kept.Length];
        for (var i = 0; i < kept.Length; i++)
        {
            index[kept[i].Key] = i;
            idf[i] = (float)(Math.Log((1.0 + texts.Count) / (1.0 + kept[i].Value)) + 1);
        }
        return new TfidfVocabulary(index, idf);
    }

    /// <summary>The L2-normalised TF-IDF row of a text as (column, value) pairs; empty when no word is known.</summary>
    public (int[] Columns, float[] Values) Row(string text)
    {
        var counts = new SortedDictionary<int, int>();
        foreach (var w in Words(text))
            if (_index.TryGetValue(w, out var c)) counts[c] = counts.GetValueOrDefault(c) + 1;
        var cols = counts.Keys.ToArray();
        var vals = counts.Select(kv => kv.Value * _idf[kv.Key]).ToArray();
        var norm = MathF.Sqrt(vals.Sum(v => v * v));
        if (norm > 0) for (var i = 0; i < vals.Length; i++) vals[i] /= norm;
        return (cols, vals);
    }
}

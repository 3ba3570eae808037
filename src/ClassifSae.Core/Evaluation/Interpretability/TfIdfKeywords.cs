namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// The keywords of upstream's concept cards and word clouds (spec 04 §6.5): scikit-learn's
/// <c>TfidfVectorizer(tokenizer=str.split, lowercase=False, min_df=2, sublinear_tf=True)</c> with its defaults
/// (<c>smooth_idf=True</c>, <c>norm="l2"</c>) over already-tokenised documents: tf = 1 + ln(count), idf = ln((1 + n) / (1 + df)) + 1,
/// each document's row L2-normalised; terms in fewer than <c>min_df</c> documents are dropped.
/// </summary>
public static class TfIdfKeywords
{
    public sealed record Keyword(string Term, double Score);

    /// <summary>Each document's weight per kept term (terms in ordinal order, as sklearn's sorted vocabulary).</summary>
    public static (IReadOnlyList<string> Terms, double[][] Weights) Fit(IReadOnlyList<IReadOnlyList<string>> documents, int minDf = 2)
    {
        var counts = documents.Select(d => d.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)).ToList();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in counts)
            foreach (var t in c.Keys) df[t] = df.GetValueOrDefault(t) + 1;
        var terms = df.Where(kv => kv.Value >= minDf).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        var n = documents.Count;
        var idf = terms.Select(t => Math.Log((1.0 + n) / (1.0 + df[t])) + 1).ToArray();
        var weights = counts.Select(c =>
        {
            var row = terms.Select((t, i) => c.TryGetValue(t, out var k) ? (1 + Math.Log(k)) * idf[i] : 0).ToArray();
            var norm = Math.Sqrt(row.Sum(x => x * x));
            return norm > 0 ? row.Select(x => x / norm).ToArray() : row;
        }).ToArray();
        return (terms, weights);
    }

    /// <summary>
    /// Upstream's use: one document per concept (the clean tokens of its top activating sentences) plus the whole corpus as a
    /// last document; per concept its <paramref name="top"/> highest-scoring terms, scores rounded to 4 decimals. Zero scores
    /// are left out (upstream lists them, then fails on them in the word cloud); equal scores in term order (numpy's unstable
    /// argsort leaves them unspecified).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Keyword>> ForConcepts(IReadOnlyList<IReadOnlyList<string>> conceptDocuments,
        IReadOnlyList<string> corpus, int top = 20, int minDf = 2)
    {
        var (terms, weights) = Fit([.. conceptDocuments, corpus], minDf);
        return conceptDocuments.Select((_, d) => (IReadOnlyList<Keyword>)weights[d]
            .Select((w, i) => (Term: terms[i], Weight: w))
            .Where(k => k.Weight > 0)
            .OrderByDescending(k => k.Weight).ThenBy(k => k.Term, StringComparer.Ordinal)
            .Take(top).Select(k => new Keyword(k.Term, Math.Round(k.Weight, 4, MidpointRounding.ToEven))).ToList()).ToList();
    }
}

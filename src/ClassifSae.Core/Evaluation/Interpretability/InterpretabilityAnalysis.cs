using System.Text.Json;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// Spec 02 §6 for one method: activating sets from the unmasked activations, the similarity metrics against the
/// sentence embeddings, and the files <c>interpretability_metrics.json</c> and <c>activating_sentences/category_{c}.*</c>.
/// </summary>
public static class InterpretabilityAnalysis
{
    /// <param name="activations">unmasked activations [N, F], rows in the order of <paramref name="sentences"/></param>
    /// <param name="segments">per class index, its segment of selected concepts</param>
    /// <param name="folder">the method's <c>test/interpretability</c> folder</param>
    /// <param name="rule">the paper's activating sets (default) or upstream's Jenks sets; with Jenks, upstream's concept cards are written too</param>
    /// <param name="classNames">class names for the cards' file names (null: class indices)</param>
    public static InterpretabilityMetrics Run(Tensor activations, IReadOnlyList<int> selected, IReadOnlyList<int[]> segments,
        SentenceEmbeddings sentences, string folder, ActivatingSetRule rule = ActivatingSetRule.GaussianMixture, IReadOnlyList<string>? classNames = null)
    {
        var n = (int)activations.size(0);
        var sets = rule == ActivatingSetRule.Jenks
            ? JenksActivatingSets.Compute(activations, selected).Select(s => s.Active).ToArray()
            : ActiveSets.Compute(activations, selected);
        var metrics = new InterpretabilityMetrics(
            sentences.Encoder, SetOverlap.Compute(sets, n), sentences.DatasetMeanCosine,
            ConceptSimilarity.Compute(sentences.Embeddings, sets, unweightedCountsUnpaired: rule == ActivatingSetRule.Jenks),
            selected.Count == 0 ? new double[SentenceSimilarity.MaxShared] : SentenceSimilarity.Compute(activations, selected, sentences.Embeddings),
            sets.Select(s => s.Length).ToArray(), n);
        AtomicFile.WriteAllText(Path.Combine(folder, "interpretability_metrics.json"),
            metrics.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var rows = new Dictionary<int, List<ActivatingSentencesFiles.Row>>();
        for (var s = 0; s < selected.Count; s++)
        {
            var j = selected[s];
            if (Selection.ConceptSelection.SegmentOf(segments, j) is not { } c) continue; // never happens: segments partition z_class
            using var col = activations[.., j].to(ScalarType.Float64);
            var column = col.data<double>().ToArray();
            var sparsity = (double)sets[s].Length / n;
            var list = rows.TryGetValue(c, out var l) ? l : rows[c] = [];
            list.AddRange(ActivatingSentencesFiles.Kept(column, sets[s].ToHashSet())
                .Select(k => new ActivatingSentencesFiles.Row(sentences.Texts[k.Sentence], k.Activation, j, sparsity)));
        }
        ActivatingSentencesFiles.Write(Path.Combine(folder, "activating_sentences"), rows);
        if (rule == ActivatingSetRule.Jenks) WriteCards(activations, selected, segments, sentences, folder, sets, metrics, classNames);
        return metrics;
    }

    /// <summary>Upstream's concept cards and keywords (spec 04 §6.5), which came with its Jenks sets.</summary>
    private static void WriteCards(Tensor activations, IReadOnlyList<int> selected, IReadOnlyList<int[]> segments, SentenceEmbeddings sentences,
        string folder, int[][] sets, InterpretabilityMetrics metrics, IReadOnlyList<string>? classNames)
    {
        var columns = selected.Select(j =>
        {
            using var col = activations[.., j].to(ScalarType.Float64).cpu();
            return col.data<double>().ToArray();
        }).ToList();
        var categories = selected.Select(j => Selection.ConceptSelection.SegmentOf(segments, j) is { } c
            ? classNames is not null && c < classNames.Count ? classNames[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "none").ToList();
        ConceptCards.Write(folder, ConceptCards.Build(selected, columns, sets, categories, metrics.ConceptSim.PerConcept, sentences.Texts));
    }
}

using System.Text.Json.Nodes;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// Everything of spec 02 §6 for one method: activating-set overlap, the data set's mean pairwise cosine, ConceptSim
/// (weighted, unweighted) and SentenceSim(k). Topic coherence (gensim c_v / c_uci / c_npmi) is not computed: it
/// depends on NLTK stop words and WordNet lemmatisation that have no faithful .NET counterpart, and no table uses it.
/// </summary>
public sealed record InterpretabilityMetrics(
    string Encoder, SetOverlap Overlap, double DatasetMeanCosine, ConceptSimilarity ConceptSim, double[] SentenceSim,
    int[] ActiveCounts, int Sentences)
{
    /// <summary>Bumped when a definition here changes, so the store never averages two formulas.</summary>
    public const int FormulaVersion = 1;

    public JsonObject ToJson() => new()
    {
        // The original's interpretability_metrics.json keys and order (spec 02 §6.9), then the encoder label.
        ["avg_jaccard"] = Overlap.AverageJaccard,
        ["redundancy"] = Overlap.Redundancy,
        ["coverage"] = Overlap.Coverage,
        ["cv_score"] = null,
        ["c_uci_score"] = null,
        ["c_npmi_score"] = null,
        ["Averaged mean cosine similarity over the dataset"] = Finite(DatasetMeanCosine),
        ["Weighted Averaged ConceptSim"] = Finite(ConceptSim.Weighted),
        ["Unweighted Averaged ConceptSim"] = Finite(ConceptSim.Unweighted),
        ["SentenceSim(k) for k from 1 to 4"] = new JsonArray(SentenceSim.Select(v => (JsonNode)v).ToArray()),
        ["Sentence encoder"] = Encoder,
    };

    public IEnumerable<(string Metric, double Value)> Named()
    {
        yield return ("avg_jaccard", Overlap.AverageJaccard);
        yield return ("redundancy", Overlap.Redundancy);
        yield return ("coverage", Overlap.Coverage);
        if (double.IsFinite(DatasetMeanCosine)) yield return ("dataset_mean_pairwise_cos", DatasetMeanCosine);
        if (double.IsFinite(ConceptSim.Weighted)) yield return ("conceptsim_weighted", ConceptSim.Weighted);
        if (double.IsFinite(ConceptSim.Unweighted)) yield return ("conceptsim_unweighted", ConceptSim.Unweighted);
        for (var k = 0; k < SentenceSim.Length; k++) yield return ($"sentencesim_k{k + 1}", SentenceSim[k]);
    }

    private static JsonNode? Finite(double v) => double.IsFinite(v) ? v : null;
}

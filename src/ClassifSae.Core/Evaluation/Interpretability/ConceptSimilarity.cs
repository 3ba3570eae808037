using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// ConceptSim (spec 02 §6.5): the mean cosine similarity between the sentences of a concept's activating set,
/// averaged over concepts weighted by their number of pairs (the paper's ConceptSim) and unweighted. Concepts
/// with fewer than two active sentences are left out of both. Pair sums use ‖Σe‖² − Σ‖e‖² = 2·Σ_{i&lt;k} e_i·e_k,
/// so a concept costs O(n·dim), not O(n²·dim).
/// </summary>
public sealed record ConceptSimilarity(double Weighted, double Unweighted, IReadOnlyList<double?> PerConcept)
{
    /// <param name="embeddings">[N, dim] sentence embeddings (re-normalised here)</param>
    /// <param name="sets">per concept, its active sentence indices</param>
    /// <param name="unweightedCountsUnpaired">upstream's unweighted mean (spec 04 §6.4.4): over every concept, those with fewer than two active sentences as 0</param>
    public static ConceptSimilarity Compute(Tensor embeddings, IReadOnlyList<int[]> sets, bool unweightedCountsUnpaired = false)
    {
        using var scope = NewDisposeScope();
        var e = Normalised(embeddings);
        var per = new double?[sets.Count];
        double weighted = 0, weights = 0;
        var plain = new List<double>();
        for (var c = 0; c < sets.Count; c++)
        {
            var n = sets[c].Length;
            if (n < 2)
            {
                if (unweightedCountsUnpaired) plain.Add(0);
                continue;
            }
            var (sum, pairs) = PairSum(e.index_select(0, tensor(sets[c].Select(i => (long)i).ToArray())));
            var sim = sum / pairs;
            per[c] = sim;
            plain.Add(sim);
            weighted += sum;
            weights += pairs;
        }
        return new ConceptSimilarity(weights == 0 ? double.NaN : weighted / weights, plain.Count == 0 ? double.NaN : plain.Average(), per);
    }

    /// <summary>The data set's mean pairwise cosine over all i &lt; k: the reference line the scores are read against.</summary>
    public static double DatasetMeanCosine(Tensor embeddings)
    {
        using var scope = NewDisposeScope();
        var (sum, pairs) = PairSum(Normalised(embeddings));
        return pairs == 0 ? double.NaN : sum / pairs;
    }

    internal static Tensor Normalised(Tensor embeddings)
    {
        var e = embeddings.to(ScalarType.Float64);
        return e / e.norm(1, keepdim: true).clamp_min(1e-12);
    }

    private static (double Sum, double Pairs) PairSum(Tensor e)
    {
        var n = e.size(0);
        var total = e.sum(dim: 0);
        var sum = 0.5 * ((total * total).sum().item<double>() - (e * e).sum().item<double>());
        return (sum, n * (n - 1) / 2.0);
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// SentenceSim(k), k = 1..4 (spec 02 §6.6): for each sentence, the mean cosine to the sentences sharing exactly k of
/// its top-5 concepts, averaged over the sentences that have such partners. The N×N shared-count matrix is never
/// held whole: rows are processed in blocks, since only per-row means are needed (2.5 GB on IMDB otherwise).
/// </summary>
public static class SentenceSimilarity
{
    public const int TopConcepts = 5;
    public const int MaxShared = 4;

    /// <param name="activations">unmasked activations [N, F]</param>
    /// <param name="selected">z_class</param>
    /// <param name="embeddings">[N, dim] sentence embeddings</param>
    /// <returns>[SentenceSim(1), …, SentenceSim(4)], 0 where no sentence has a partner</returns>
    public static double[] Compute(Tensor activations, IReadOnlyList<int> selected, Tensor embeddings, int blockRows = 1024)
    {
        using var scope = NewDisposeScope();
        var m = activations.index_select(1, tensor(selected.Select(j => (long)j).ToArray())).to(ScalarType.Float32);
        var b = TopMask(m).to(ScalarType.Float32);
        var e = ConceptSimilarity.Normalised(embeddings);
        var n = m.size(0);
        var sums = new double[MaxShared];
        var counts = new long[MaxShared];
        for (long start = 0; start < n; start += blockRows)
        {
            using var block = NewDisposeScope();
            var end = Math.Min(n, start + blockRows);
            var shared = b.narrow(0, start, end - start).matmul(b.T).round();
            var cos = e.narrow(0, start, end - start).matmul(e.T);
            var notSelf = ones(end - start, n, dtype: ScalarType.Bool);
            notSelf.index_put_(tensor(false), arange(end - start), arange(start, end));
            for (var k = 1; k <= MaxShared; k++)
            {
                var mask = shared.eq(k).logical_and(notSelf);
                var partners = mask.sum(1);
                var has = partners.gt(0);
                var rowMeans = cos.where(mask, 0.0).sum(1) / partners.clamp_min(1);
                sums[k - 1] += rowMeans.masked_select(has).sum().item<double>();
                counts[k - 1] += has.sum().item<long>();
            }
        }
        return Enumerable.Range(0, MaxShared).Select(k => counts[k] == 0 ? 0 : sums[k] / counts[k]).ToArray();
    }

    /// <summary>Per row, the top-5 signed values (torch topk, as the original) that are not exactly zero.</summary>
    internal static Tensor TopMask(Tensor m)
    {
        var k = (int)Math.Min(TopConcepts, m.size(1));
        var (values, indices) = m.topk(k, dim: 1);
        var kept = zeros_like(m, dtype: ScalarType.Bool);
        return kept.scatter_(1, indices, values.ne(0));
    }
}

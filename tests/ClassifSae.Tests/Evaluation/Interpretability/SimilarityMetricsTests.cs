using ClassifSae.Evaluation.Interpretability;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Evaluation.Interpretability;

/// <summary>ConceptSim, the data set's mean cosine, SentenceSim(k) and set overlap on hand-computed cases.</summary>
public class SimilarityMetricsTests
{
    private static Tensor Rows(params float[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    [Fact]
    public void ConceptSim_of_identical_sentences_is_one()
    {
        var e = Rows([0.6f, 0.8f], [0.6f, 0.8f], [0.6f, 0.8f]);
        var sim = ConceptSimilarity.Compute(e, [[0, 1, 2]]);
        Assert.Equal(1, sim.Weighted, 12);
        Assert.Equal(1, sim.Unweighted, 12);
    }

    [Fact]
    public void Weighted_ConceptSim_weights_by_pairs_and_skips_singletons()
    {
        // Concept A: three copies of e1 (sim 1, 3 pairs); B: e1 and e2 (sim 0, 1 pair); C: one sentence (excluded).
        // Rows are not unit length: the metric re-normalises.
        var e = Rows([2, 0], [1, 0], [3, 0], [0, 5]);
        var sim = ConceptSimilarity.Compute(e, [[0, 1, 2], [1, 3], [3]]);
        Assert.Equal(0.75, sim.Weighted, 12);
        Assert.Equal(0.5, sim.Unweighted, 12);
        Assert.Null(sim.PerConcept[2]);
    }

    [Fact]
    public void Dataset_mean_cosine_averages_all_pairs()
    {
        var e = Rows([1, 0], [1, 0], [0, 1]);
        Assert.Equal(1.0 / 3, ConceptSimilarity.DatasetMeanCosine(e), 12);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(3)]
    public void SentenceSim_averages_partners_sharing_exactly_k_concepts(int blockRows)
    {
        // Top concepts: s0 {0}, s1 {0,1}, s2 {1}, s3 {0,1}; shared counts s0s1 1, s0s3 1, s1s2 1, s2s3 1, s1s3 2, s0s2 0.
        var acts = Rows([1, 0, 0], [1, 1, 0], [0, 1, 0], [1, 1, 0]);
        var e = Rows([1, 0], [1, 0], [0, 1], [0.6f, 0.8f]);
        var ss = SentenceSimilarity.Compute(acts, [0, 1, 2], e, blockRows);
        // k=1: s0 (1+0.6)/2, s1 (1+0)/2, s2 (0+0.8)/2, s3 (0.6+0.8)/2 → mean 0.6; k=2: s1 and s3 each 0.6.
        Assert.Equal(0.6, ss[0], 6);
        Assert.Equal(0.6, ss[1], 6);
        Assert.Equal(0, ss[2]);
        Assert.Equal(0, ss[3]);
    }

    [Fact]
    public void Only_the_top_five_signed_values_count_and_zeros_among_them_do_not()
    {
        var m = Rows([6, 5, 4, 3, 2, 1, 0], [-1, -2, 0, 0, 0, 0, 0]);
        var mask = SentenceSimilarity.TopMask(m).data<bool>().ToArray();
        Assert.Equal(new[] { true, true, true, true, true, false, false, false, false, false, false, false, false, false }, mask);
    }

    [Fact]
    public void Set_overlap_is_jaccard_redundancy_and_coverage()
    {
        var o = SetOverlap.Compute([[0, 1], [1, 2]], sentences: 4);
        Assert.Equal(1.0 / 3, o.AverageJaccard, 12);
        Assert.Equal(4.0 / 3, o.Redundancy, 12);
        Assert.Equal(0.75, o.Coverage, 12);
    }

    [Fact]
    public void Active_sets_come_from_each_concepts_mixture()
    {
        var values = new float[200 * 2];
        for (var i = 0; i < 200; i++)
        {
            values[i * 2] = i % 10 == 0 ? 3 + i % 7 * 0.1f : 0;   // concept 0 fires on every 10th sentence
            values[i * 2 + 1] = i < 150 ? 0.01f * (i % 5) : 4;     // concept 1 on the last 50
        }
        var sets = ActiveSets.Compute(tensor(values, [200, 2]), [1, 0]);
        Assert.Equal(Enumerable.Range(150, 50), sets[0]);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 10), sets[1]);
    }
}

using ClassifSae.Evaluation.Interpretability;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Evaluation.Interpretability;

/// <summary>Jenks natural breaks and upstream's activating sets (spec 04 §6.4.3) against hand-computed partitions.</summary>
public class JenksBreaksTests
{
    [Fact]
    public void Two_clear_groups_split_between_them_whatever_the_input_order()
    {
        // {1,2,3} + {10,11,12}: SSD 2 + 2 = 4; every other split costs more.
        Assert.Equal([1, 3, 12], JenksBreaks.Compute([11, 1, 12, 3, 10, 2], 2));
    }

    [Fact]
    public void Three_classes_follow_the_dynamic_programme()
    {
        // {1,2,3} {10,11,12} {30,31}: SSD 2 + 2 + 0.5 = 4.5.
        Assert.Equal([1, 3, 12, 31], JenksBreaks.Compute([30, 1, 2, 3, 10, 11, 12, 31], 3));
    }

    [Theory]
    // {0} + {2,4}: 0 + 2 = 2 ties {0,2} + {4}: 2 + 0 = 2 → the larger upper class wins, break at 0.
    [InlineData(new double[] { 4, 0, 2 }, 0.0)]
    // {0} + {3,3,6}: 0 + 6 ties {0,3,3} + {6}: 6 + 0 (and beats {0,3} + {3,6}: 4.5 + 4.5) → break at 0.
    [InlineData(new double[] { 3, 6, 0, 3 }, 0.0)]
    // {1,1,1} + {5,5,9}: 0 + 10.67 beats {1,1,1,5,5} + {9}: 19.2 and {1,1,1,5} + {5,9}: 12 + 8.
    [InlineData(new double[] { 1, 5, 1, 9, 5, 1 }, 1.0)]
    public void Equal_totals_give_the_larger_upper_class(double[] values, double expectedBreak)
    {
        Assert.Equal(expectedBreak, JenksBreaks.Compute(values, 2)[1]);
    }

    [Fact]
    public void Matches_an_exhaustive_search_on_random_data()
    {
        var rng = new Random(11);
        for (var trial = 0; trial < 20; trial++)
        {
            var v = Enumerable.Range(0, 40).Select(_ => Math.Round(rng.NextDouble() * 10, 1)).ToArray();
            var sorted = v.Order().ToArray();
            double Ssd(int from, int to)   // [from, to)
            {
                var part = sorted[from..to];
                var mean = part.Average();
                return part.Sum(x => (x - mean) * (x - mean));
            }
            var best = double.PositiveInfinity;
            (int, int) cut = (0, 0);
            for (var a = 1; a < 40; a++)
            for (var b = a + 1; b < 40; b++)
            {
                var total = Ssd(0, a) + Ssd(a, b) + Ssd(b, 40);
                if (total < best - 1e-9) (best, cut) = (total, (a, b));
            }
            var breaks = JenksBreaks.Compute(v, 3);
            var lower = sorted.Count(x => x <= breaks[1]);
            var middle = sorted.Count(x => x <= breaks[2]);
            var jenksTotal = Ssd(0, lower) + Ssd(lower, middle) + Ssd(middle, 40);
            Assert.True(Math.Abs(jenksTotal - best) < 1e-9, $"trial {trial}: Jenks {jenksTotal} vs exhaustive {best} at {cut}");
        }
    }

    [Fact]
    public void Too_few_values_or_classes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => JenksBreaks.Compute([1, 2], 2));
        Assert.Throws<ArgumentException>(() => JenksBreaks.Compute([1, 2, 3], 1));
    }

    [Fact]
    public void Activating_sets_use_a_strict_threshold_and_upstreams_sizes()
    {
        // Constant column: no set, size 0.
        var constant = JenksActivatingSets.Of([0.5f, 0.5f, 0.5f, 0.5f]);
        Assert.Empty(constant.Active);
        Assert.Equal(0, constant.Size);
        // Within numpy.allclose of the first value: still constant.
        Assert.Equal(0, JenksActivatingSets.Of([1f, 1.000001f, 1f]).Size);
        // One outlier: break at 0, one active sentence → size 1, no pairs.
        var single = JenksActivatingSets.Of([0, 0, 9, 0, 0, 0]);
        Assert.Equal([2], single.Active);
        Assert.Equal((1, false), (single.Size, single.HasPairs));
        // Break at 1 (see above); the sentences equal to the break stay inactive.
        var set = JenksActivatingSets.Of([1, 5, 1, 9, 5, 1]);
        Assert.Equal([1, 3, 4], set.Active);
        Assert.Equal((3, true), (set.Size, set.HasPairs));
    }

    [Fact]
    public void Columns_are_taken_in_selection_order()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 0, 1, 7, 0, 1, 0, 9, 1, 0, 0, 1, 8 }, [4, 3]);    // column 0: 0,0,9,0; column 2: 7,0,1,8
        var sets = JenksActivatingSets.Compute(a, [2, 0, 1]);
        Assert.Equal([0, 3], sets[0].Active);
        Assert.Equal([2], sets[1].Active);
        Assert.Equal(0, sets[2].Size);
    }

    [Fact]
    public void Upstreams_unweighted_ConceptSim_counts_concepts_without_pairs_as_zero()
    {
        using var scope = NewDisposeScope();
        var e = tensor(new double[] { 1, 0, 2, 0, 0, 1 }, [3, 2]);         // sentences 0 and 1 point the same way
        int[][] sets = [[0, 1], [2], []];
        var paper = ConceptSimilarity.Compute(e, sets);
        var upstream = ConceptSimilarity.Compute(e, sets, unweightedCountsUnpaired: true);
        Assert.Equal((1.0, 1.0), (paper.Weighted, paper.Unweighted));
        Assert.Equal(1.0, upstream.Weighted, 12);
        Assert.Equal(1.0 / 3, upstream.Unweighted, 12);
    }
}

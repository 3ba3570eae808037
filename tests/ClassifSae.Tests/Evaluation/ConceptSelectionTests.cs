using ClassifSae.Evaluation.Interpretability;
using ClassifSae.Evaluation.Selection;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Evaluation;

public class ConceptSelectionTests
{
    [Fact]
    public void Dead_features_are_dropped_and_candidate_order_kept()
    {
        using var a = tensor(new float[] { 0, 1, 0, 2, 0, 0, 1e-7f, 1 }, [2, 4]);
        Assert.Equal([3, 1], ConceptSelection.Select(a, [3, 2, 1]));
    }

    [Fact]
    public void Segments_follow_the_class_share_and_sort_by_mean_activation()
    {
        // Sentences of class 0,0,1,1. Feature 0 fires on class 1, features 1 and 2 on class 0 (2 stronger), 3 is dead.
        using var a = tensor(new float[]
        {
            0, 1, 5, 0,
            0, 1, 5, 0,
            4, 0, 0, 0,
            4, 1, 0, 0,
        }, [4, 4]);
        var seg = ConceptSelection.Segment(a, [0, 0, 1, 1], classes: 2, selected: [0, 1, 2, 3]);
        Assert.Equal([2, 1, 3], seg[0]);   // dead feature 3 goes to class 0 (uniform share, first max)
        Assert.Equal([0], seg[1]);
    }

    [Fact]
    public void Top_sentences_and_purity()
    {
        using var a = tensor(new float[] { 0.5f, 3, 0, 2, 1 }, [5, 1]);
        var top = TopSentences.For(a, [0], top: 3)[0];
        Assert.Equal([1, 3, 4], top.Select(e => e.Row));
        Assert.Equal(2.0 / 3, TopSentences.Purity(top, [9, 7, 9, 7, 8]), 12);
    }
}

using ClassifSae.Evaluation.Causality;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Evaluation;

/// <summary>
/// A bottleneck whose label logits are the kept activations themselves: two concepts, three sentences.
/// s0 = (2, 1) → class 0, s1 = (0, 3) → class 1, s2 = (1, 0) → class 0; truth 0, 1, 0. Ablating concept 0
/// flips exactly s0 (s2 becomes a tie, which argmax resolves to class 0).
/// </summary>
public class CausalityAnalysisTests
{
    private static readonly long[] Truth = [0, 1, 0];

    private static CausalityAnalysis.Result Run()
    {
        var hidden = tensor(new float[] { 2, 1, 0, 3, 1, 0 }, [3, 2]);
        var keep = tensor(new[] { true, true });
        var baseline = hidden.clone();
        return CausalityAnalysis.Run(hidden, keep, hidden, baseline, Truth, [0, 1], [[0], [1]],
            (h, k) => h * k.to(ScalarType.Float32));
    }

    private static double Tvd(double[] a, double[] b)
    {
        double[] Soft(double[] x) { var e = x.Select(Math.Exp).ToArray(); return e.Select(v => v / e.Sum()).ToArray(); }
        return 0.5 * Soft(a).Zip(Soft(b)).Sum(p => Math.Abs(p.First - p.Second));
    }

    [Fact]
    public void Conditional_ablation_of_each_concept_on_the_sentences_where_it_fires()
    {
        var r = Run();
        var f0 = r.Conditional.Single(c => c.Feature == 0);
        Assert.Equal(2, f0.Active);                                   // s0 and s2
        Assert.Equal(0.5, f0.Effect.FlipRate, 12);                    // s0 flips, s2 does not
        Assert.Equal(-0.5, f0.Effect.AccuracyChange, 12);
        Assert.Equal((Tvd([2, 1], [0, 1]) + Tvd([1, 0], [0, 0])) / 2, f0.Effect.Tvd, 9);
        var f1 = r.Conditional.Single(c => c.Feature == 1);
        Assert.Equal(0.5, f1.Effect.FlipRate, 12);                    // s1 becomes a tie → class 0
        Assert.Equal(0.5, r.ConditionalMean.FlipRate, 12);
        Assert.Contains(r.Named(), m => m.Metric == "cond_label_flip_rate" && m.Value == 0.5);
    }

    [Fact]
    public void Category_ablation_uses_the_segment_prefix_and_averages_over_classes()
    {
        var r = Run();
        // One feature per segment: 25–75 % of it is floor(q/100) = 0 features, so nothing changes.
        Assert.All(r.Categories.Where(c => c.Percentage < 100), c => Assert.Equal(new AblationEffect(0, 0, 0), c.Effect));
        var class0 = r.Categories.Single(c => c.Class == 0 && c.Percentage == 100);
        Assert.Equal([0], class0.Ablated);
        Assert.Equal(1.0 / 3, class0.Effect.FlipRate, 12);
        var class1 = r.Categories.Single(c => c.Class == 1 && c.Percentage == 100);
        Assert.Equal(1.0 / 3, class1.Effect.FlipRate, 12);
        Assert.Equal(1.0 / 3, r.CategoryMean(100).FlipRate, 12);
        Assert.Equal(-1.0 / 3, r.CategoryMean(100).AccuracyChange, 12);
    }
}

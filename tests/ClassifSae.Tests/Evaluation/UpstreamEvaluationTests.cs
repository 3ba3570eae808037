using System.Text.Json.Nodes;
using ClassifSae.Concepts;
using ClassifSae.Evaluation;
using ClassifSae.Evaluation.Causality;
using ClassifSae.Evaluation.Completeness;
using ClassifSae.Evaluation.Selection;
using ClassifSae.Settings;
using ClassifSae.Tests.Backbones;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Evaluation;

/// <summary>
/// Evaluate under method_version upstream-2026 (spec 04): the 1e-6 dead filter and class-mean segmentation (§6.1), the
/// reconstruction rescaled to the state's norm before the tail (§3.6), and conditional-only causality (§6.3).
/// </summary>
public class UpstreamEvaluationTests
{
    [Fact]
    public void The_rules_follow_the_method_version()
    {
        Assert.Equal(EvaluationRules.Paper, EvaluationRules.For(MethodVersion.Paper2025));
        var u = EvaluationRules.For(MethodVersion.Upstream2026);
        Assert.Equal((1e-6, true, true, false, 1e-6), (u.DeadThreshold, u.SegmentByClassMeans, u.RescaleToInputNorm, u.CategoryAblation, u.RateThreshold));
        Assert.Equal((1e-5, false, false, true), (EvaluationRules.Paper.DeadThreshold, EvaluationRules.Paper.SegmentByClassMeans,
            EvaluationRules.Paper.RescaleToInputNorm, EvaluationRules.Paper.CategoryAblation));
    }

    [Fact]
    public void A_concept_with_mean_activation_between_1e6_and_1e5_is_alive_only_upstream()
    {
        // Feature 0: mean |a| = 5e-6; feature 1: 5e-7 (dead under both); feature 2: 1.
        using var a = tensor(new float[] { 1e-5f, 1e-6f, 1, 0, 0, 1 }, [2, 3]);
        Assert.Equal([2], ConceptSelection.Select(a, [0, 1, 2], EvaluationRules.Paper.DeadThreshold));
        Assert.Equal([0, 2], ConceptSelection.Select(a, [0, 1, 2], EvaluationRules.Upstream.DeadThreshold));
    }

    [Fact]
    public void Class_means_and_class_sums_segment_an_imbalanced_test_set_differently()
    {
        // Labels 0,0,0,1 (three sentences of class 0, one of class 1), three classes with class 2 absent.
        // Feature 0 = (1,1,1,2): sums 3 | 2 | 0 → class 0; means 1 | 2 | 0 → class 1.
        // Feature 1 = (0,0,3,1): sums 3 | 1 → class 0; means 1 | 1 → tie, first class 0.
        // Feature 2 = (−1,0,0,−1): sums −1 | −1 | 0, total −2 → shares ½ ½ 0 → class 0; means −⅓ | −1 | 0, total −4/3 →
        //   shares ¼ ¾ 0 → class 1.
        using var a = tensor(new float[]
        {
            1, 0, -1,
            1, 0, 0,
            1, 3, 0,
            2, 1, -1,
        }, [4, 3]);
        long[] labels = [0, 0, 0, 1];
        var sums = ConceptSelection.Segment(a, labels, classes: 3, selected: [0, 1, 2]);
        var means = ConceptSelection.Segment(a, labels, classes: 3, selected: [0, 1, 2], byClassMeans: true);
        // Segments sorted by mean |a|: feature 0 (1.25) > feature 1 (1.0) > feature 2 (0.5).
        Assert.Equal([[0, 1, 2], [], []], sums);
        Assert.Equal([[1], [0, 2], []], means);
    }

    [Fact]
    public void Rescaling_gives_each_reconstruction_its_states_norm()
    {
        using var x = tensor(new float[] { 3, 4, 0, 2 }, [2, 2]);
        using var xhat = tensor(new float[] { 1, 0, 0, 0 }, [2, 2]);
        using var r = BottleneckLogits.RescaleToNorm(xhat, x);
        // Row 0: [1,0]·5/(1+1e-9); row 1: a zero reconstruction stays zero.
        Assert.Equal(new[] { 5f, 0f, 0f, 0f }, r.data<float>().ToArray());
    }

    /// <summary>A bottleneck that reconstructs every state at a quarter of its length, direction kept.</summary>
    private sealed class ShrinkingBottleneck : IConceptBottleneck
    {
        public Tensor Activations(Tensor hidden) => hidden.clone();
        public Tensor ReconstructMasked(Tensor hidden, Tensor keep) => hidden * 0.25f;
        public Tensor Directions() => eye(4);
    }

    [Fact]
    public void With_the_rescale_a_direction_preserving_reconstruction_recovers_the_models_own_logits()
    {
        using var scope = NewDisposeScope();
        using var model = TinyGptNeoX.Create(seed: 5, cfg: TinyGptNeoX.Config(d: 32));
        var hook = model.Shape.DecisionHookLayer;
        var labels = tensor(new long[] { 3, 7, 11 });
        var states = randn([6, 32], generator: new Generator(9)) * 4;
        var keep = ones(4, dtype: ScalarType.Bool);
        var original = model.Tail(states, hook, labels);
        var rescaled = BottleneckLogits.For(new ShrinkingBottleneck(), model, labels, batch: 4, CPU, rescaleToInputNorm: true)(states, keep);
        var plain = BottleneckLogits.For(new ShrinkingBottleneck(), model, labels, batch: 4, CPU)(states, keep);
        Assert.True((rescaled - original).abs().max().item<float>() < 1e-4, "rescaled x̂ = x gives the original logits");
        Assert.True((plain - original).abs().max().item<float>() > 1e-2, "without the rescale the shrunk state changes them");
    }

    /// <summary>The case of <see cref="CausalityAnalysisTests"/>: logits = kept activations, truth 0, 1, 0.</summary>
    private static CausalityAnalysis.Result Run(bool categoryAblation)
    {
        var hidden = tensor(new float[] { 2, 1, 0, 3, 1, 0 }, [3, 2]);
        return CausalityAnalysis.Run(hidden, tensor(new[] { true, true }), hidden, hidden.clone(), [0, 1, 0], [0, 1], [[0], [1]],
            (h, k) => h * k.to(ScalarType.Float32), categoryAblation);
    }

    [Fact]
    public void Upstream_causality_is_conditional_only_with_empty_category_lists()
    {
        var upstream = Run(categoryAblation: false);
        var paper = Run(categoryAblation: true);
        Assert.Empty(upstream.Categories);
        Assert.Equal(8, paper.Categories.Count);
        Assert.Empty(upstream.ToCategoryJson(["a", "b"]));
        // The conditional numbers are the paper's: flip rate ½ for each concept.
        Assert.Equal(paper.ConditionalMean, upstream.ConditionalMean);
        Assert.Equal(0.5, upstream.ConditionalMean.FlipRate, 12);
        var named = upstream.Named().Select(m => m.Metric).ToList();
        Assert.Equal(["cond_label_flip_rate", "cond_tvd", "cond_abs_acc_change"], named);
        var json = upstream.ToAveragedJson();
        Assert.Equal("[25,50,75,100]", json["Proportion of ablation per segment"]!.ToJsonString());
        foreach (var key in new[] { "Global (averaged over categories) absolute accuracy change", "Global  (averaged over categories) TVD", "Global  (averaged over categories) Label-flip rate" })
            Assert.Equal("[]", json[key]!.ToJsonString());
        Assert.Equal(0.5, json["Averaged (over features) conditional label-flip rate"]!.GetValue<double>(), 12);
    }
}

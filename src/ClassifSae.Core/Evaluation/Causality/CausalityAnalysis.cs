using ClassifSae.Runtime;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Causality;

/// <summary>
/// Causality of the selected concepts (spec 02 §5): ablating 25/50/75/100 % of each class segment on every
/// sentence, and each concept alone on the sentences where it is active (conditional causality). Every
/// ablation is one batched pass of the tail over the affected sentences, never a per-sentence loop. Upstream
/// (spec 04 §6.3) runs the conditional part only: no category files, empty lists in the averaged results.
/// </summary>
public static class CausalityAnalysis
{
    public static readonly int[] Percentages = [25, 50, 75, 100];
    public const double ActiveThreshold = 1e-8;

    /// <summary>Label logits of the bottleneck for the given rows of hidden states with only the features in <c>keep</c> ([F] bool) kept.</summary>
    public delegate Tensor BottleneckLogits(Tensor hidden, Tensor keep);

    /// <param name="PerClass">class-wise counts, recall, precision and F1 of the ablated predictions against the truth</param>
    public sealed record CategoryResult(int Class, int Percentage, int[] Ablated, AblationEffect Effect, IReadOnlyList<ClassMetrics> PerClass);

    /// <param name="Baseline">class-wise metrics of the un-ablated bottleneck (<c>metrics_no_ablation.json</c>)</param>
    public sealed record Result(IReadOnlyList<CategoryResult> Categories, IReadOnlyList<(int Feature, int Active, AblationEffect Effect)> Conditional, int Classes,
        IReadOnlyList<ClassMetrics> Baseline)
    {
        public AblationEffect CategoryMean(int percentage)
        {
            var rows = Categories.Where(c => c.Percentage == percentage).Select(c => c.Effect).ToList();
            return new AblationEffect(rows.Average(r => r.AccuracyChange), rows.Average(r => r.Tvd), rows.Average(r => r.FlipRate));
        }

        public AblationEffect ConditionalMean => Conditional.Count == 0
            ? new AblationEffect(double.NaN, double.NaN, double.NaN)
            : new AblationEffect(Conditional.Average(c => c.Effect.AccuracyChange), Conditional.Average(c => c.Effect.Tvd), Conditional.Average(c => c.Effect.FlipRate));

        public IEnumerable<(string Metric, double Value)> Named()
        {
            foreach (var q in Categories.Count == 0 ? [] : Percentages)
            {
                var m = CategoryMean(q);
                yield return ($"global_acc_change_{q}pct", m.AccuracyChange);
                yield return ($"global_tvd_{q}pct", m.Tvd);
                yield return ($"global_label_flip_{q}pct", m.FlipRate);
            }
            // Per class segment too (the original's category files), e.g. category1_label_flip_50pct.
            foreach (var cat in Categories)
            {
                yield return ($"category{cat.Class}_acc_change_{cat.Percentage}pct", cat.Effect.AccuracyChange);
                yield return ($"category{cat.Class}_tvd_{cat.Percentage}pct", cat.Effect.Tvd);
                yield return ($"category{cat.Class}_label_flip_{cat.Percentage}pct", cat.Effect.FlipRate);
            }
            var c = ConditionalMean;
            if (Conditional.Count == 0) yield break;
            yield return ("cond_label_flip_rate", c.FlipRate);
            yield return ("cond_tvd", c.Tvd);
            yield return ("cond_abs_acc_change", c.AccuracyChange);
        }

        /// <summary>The original's <c>metrics_no_ablation.json</c>: only the class-wise keys of the un-ablated run.</summary>
        public JsonObject ToNoAblationJson() => ClassificationMetrics.AddClassWise(new JsonObject(), Baseline);

        /// <summary><c>metrics_ablation_category_{ClassName}_{q}_%.json</c> of spec 02 §5.2, keyed by file name.</summary>
        public IEnumerable<(string FileName, JsonObject Json)> ToCategoryJson(IReadOnlyList<string> classNames) =>
            Categories.Select(c => ($"metrics_ablation_category_{classNames[c.Class]}_{c.Percentage}_%.json",
                ClassificationMetrics.AddClassWise(new JsonObject
                {
                    ["category"] = classNames[c.Class],
                    ["Percentage ablation of the segment"] = c.Percentage,
                    ["Ablated features"] = new JsonArray(c.Ablated.Select(j => (JsonNode)j).ToArray()),
                    ["Global Absolute Accuracy change"] = c.Effect.AccuracyChange,
                    ["Global Total Variation Distance with regard to original predictions"] = c.Effect.Tvd,
                    ["Global label-flip rate"] = c.Effect.FlipRate,
                }, c.PerClass)));

        /// <summary>The original's <c>metrics_ablation_averaged_results.json</c> (its key spellings kept).</summary>
        public JsonObject ToAveragedJson()
        {
            var means = Categories.Count == 0 ? [] : Percentages.Select(CategoryMean).ToList();
            var c = ConditionalMean;
            return new JsonObject
            {
                ["Proportion of ablation per segment"] = new JsonArray(Percentages.Select(p => (JsonNode)p).ToArray()),
                ["Global (averaged over categories) absolute accuracy change"] = new JsonArray(means.Select(m => (JsonNode)m.AccuracyChange).ToArray()),
                ["Global  (averaged over categories) TVD"] = new JsonArray(means.Select(m => (JsonNode)m.Tvd).ToArray()),
                ["Global  (averaged over categories) Label-flip rate"] = new JsonArray(means.Select(m => (JsonNode)m.FlipRate).ToArray()),
                ["Averaged (over features) conditional label-flip rate"] = Conditional.Count == 0 ? null : c.FlipRate,
                ["Averaged (over features) Conditional TVD"] = Conditional.Count == 0 ? null : c.Tvd,
                ["Averaged (over features) Conditional Absolute Accuracy change"] = Conditional.Count == 0 ? null : c.AccuracyChange,
            };
        }
    }

    /// <param name="hidden">test states [N, D]</param>
    /// <param name="keep">selected features [F] bool</param>
    /// <param name="maskedActivations">activations with unselected features zeroed [N, F]</param>
    /// <param name="baseline">un-ablated bottleneck label logits [N, K]</param>
    /// <param name="segments">per class, the selected features ordered by decreasing mean |activation|</param>
    /// <param name="categoryAblation">false: conditional causality only (upstream, spec 04 §6.3)</param>
    public static Result Run(Tensor hidden, Tensor keep, Tensor maskedActivations, Tensor baseline, IReadOnlyList<long> truth,
        IReadOnlyList<int> selected, IReadOnlyList<int[]> segments, BottleneckLogits logits, bool categoryAblation = true,
        IProgressSink? progress = null, string label = "causality")
    {
        progress ??= SilentProgress.Instance;
        var baselinePerClass = ClassWise(baseline, truth, segments.Count);
        var categories = new List<CategoryResult>();
        if (categoryAblation)
        {
            using var bar = progress.Begin($"{label}: ablating each class's concepts by share", segments.Count * Percentages.Length);
            for (var c = 0; c < segments.Count; c++)
                foreach (var q in Percentages)
                {
                    bar.Status($"class {c}, {q} %");
                    var ablated = segments[c].Take(q * segments[c].Length / 100).ToArray();
                    if (ablated.Length == 0)
                    {
                        categories.Add(new CategoryResult(c, q, ablated, new AblationEffect(0, 0, 0), baselinePerClass));
                        bar.Advance();
                        continue;
                    }
                    using var k = Without(keep, ablated);
                    using var after = logits(hidden, k);
                    categories.Add(new CategoryResult(c, q, ablated, AblationEffect.Measure(baseline, after, truth), ClassWise(after, truth, segments.Count)));
                    bar.Advance();
                }
        }

        var conditional = new List<(int, int, AblationEffect)>();
        using var each = progress.Begin($"{label}: ablating each concept where it is active", selected.Count);
        foreach (var j in selected)
        {
            var active = maskedActivations[.., j].abs().gt(ActiveThreshold).nonzero().flatten().data<long>().ToArray();
            if (active.Length == 0)
            {
                each.Advance();
                continue;
            }
            using var rows = tensor(active);
            using var k = Without(keep, [j]);
            using var subset = hidden.index_select(0, rows);
            using var before = baseline.index_select(0, rows);
            using var after = logits(subset, k);
            conditional.Add((j, active.Length, AblationEffect.Measure(before, after, active.Select(i => truth[(int)i]).ToArray())));
            each.Advance();
        }
        return new Result(categories, conditional, segments.Count, baselinePerClass);
    }

    private static IReadOnlyList<ClassMetrics> ClassWise(Tensor logits, IReadOnlyList<long> truth, int classes) =>
        ClassificationMetrics.Compute(logits.argmax(1).data<long>().ToArray(), truth, classes).PerClass;

    private static Tensor Without(Tensor keep, IReadOnlyList<int> features)
    {
        var k = keep.clone();
        foreach (var j in features) k[j] = false;
        return k;
    }
}

using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Causality;

/// <summary>
/// Causality of the selected concepts (spec 02 §5): ablating 25/50/75/100 % of each class segment on every
/// sentence, and each concept alone on the sentences where it is active (conditional causality). Every
/// ablation is one batched pass of the tail over the affected sentences, never a per-sentence loop.
/// </summary>
public static class CausalityAnalysis
{
    public static readonly int[] Percentages = [25, 50, 75, 100];
    public const double ActiveThreshold = 1e-8;

    /// <summary>Label logits of the bottleneck for the given rows of hidden states with only the features in <c>keep</c> ([F] bool) kept.</summary>
    public delegate Tensor BottleneckLogits(Tensor hidden, Tensor keep);

    public sealed record CategoryResult(int Class, int Percentage, int[] Ablated, AblationEffect Effect);

    public sealed record Result(IReadOnlyList<CategoryResult> Categories, IReadOnlyList<(int Feature, int Active, AblationEffect Effect)> Conditional, int Classes)
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
            foreach (var q in Percentages)
            {
                var m = CategoryMean(q);
                yield return ($"global_acc_change_{q}pct", m.AccuracyChange);
                yield return ($"global_tvd_{q}pct", m.Tvd);
                yield return ($"global_label_flip_{q}pct", m.FlipRate);
            }
            var c = ConditionalMean;
            if (Conditional.Count == 0) yield break;
            yield return ("cond_label_flip_rate", c.FlipRate);
            yield return ("cond_tvd", c.Tvd);
            yield return ("cond_abs_acc_change", c.AccuracyChange);
        }

        /// <summary>The original's <c>metrics_ablation_averaged_results.json</c> (its key spellings kept).</summary>
        public JsonObject ToAveragedJson()
        {
            var means = Percentages.Select(CategoryMean).ToList();
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
    public static Result Run(Tensor hidden, Tensor keep, Tensor maskedActivations, Tensor baseline, IReadOnlyList<long> truth,
        IReadOnlyList<int> selected, IReadOnlyList<int[]> segments, BottleneckLogits logits)
    {
        var categories = new List<CategoryResult>();
        for (var c = 0; c < segments.Count; c++)
            foreach (var q in Percentages)
            {
                var ablated = segments[c].Take(q * segments[c].Length / 100).ToArray();
                if (ablated.Length == 0)
                {
                    categories.Add(new CategoryResult(c, q, ablated, new AblationEffect(0, 0, 0)));
                    continue;
                }
                using var k = Without(keep, ablated);
                using var after = logits(hidden, k);
                categories.Add(new CategoryResult(c, q, ablated, AblationEffect.Measure(baseline, after, truth)));
            }

        var conditional = new List<(int, int, AblationEffect)>();
        foreach (var j in selected)
        {
            var active = maskedActivations[.., j].abs().gt(ActiveThreshold).nonzero().flatten().data<long>().ToArray();
            if (active.Length == 0) continue;
            using var rows = tensor(active);
            using var k = Without(keep, [j]);
            using var subset = hidden.index_select(0, rows);
            using var before = baseline.index_select(0, rows);
            using var after = logits(subset, k);
            conditional.Add((j, active.Length, AblationEffect.Measure(before, after, active.Select(i => truth[(int)i]).ToArray())));
        }
        return new Result(categories, conditional, segments.Count);
    }

    private static Tensor Without(Tensor keep, IReadOnlyList<int> features)
    {
        var k = keep.clone();
        foreach (var j in features) k[j] = false;
        return k;
    }
}

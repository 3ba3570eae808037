using ClassifSae.Settings;

namespace ClassifSae.Evaluation;

/// <summary>
/// The evaluation rules that differ between the two method versions, as one typed record the Evaluate stage passes down.
/// </summary>
/// <param name="DeadThreshold">A selected concept is dead unless its mean |activation| over the test set exceeds this (1e-5 → 1e-6, spec 04 §6.1).</param>
/// <param name="SegmentByClassMeans">Segment by per-class mean activations instead of sums (spec 04 §6.1; differs on imbalanced test sets).</param>
/// <param name="RescaleToInputNorm">Rescale every reconstruction to its input's L2 norm before the tail (spec 04 §3.6).</param>
/// <param name="CategoryAblation">Run the 25–100 % segment ablations; upstream commented the loop out (spec 04 §6.3).</param>
/// <param name="RateThreshold">A concept counts as active on a sentence when |ã| exceeds this (1e-8 → 1e-6, spec 04 §6.2).</param>
public sealed record EvaluationRules(double DeadThreshold, bool SegmentByClassMeans, bool RescaleToInputNorm, bool CategoryAblation, double RateThreshold)
{
    /// <summary>The paper's code (d5286e9, spec 02).</summary>
    public static EvaluationRules Paper { get; } = new(1e-5, SegmentByClassMeans: false, RescaleToInputNorm: false, CategoryAblation: true, RateThreshold: 1e-8);

    /// <summary>The authors' current code (bc50f40, spec 04 §3.6, §6.1–§6.3).</summary>
    public static EvaluationRules Upstream { get; } = new(1e-6, SegmentByClassMeans: true, RescaleToInputNorm: true, CategoryAblation: false, RateThreshold: 1e-6);

    public static EvaluationRules For(string methodVersion) => MethodVersion.IsUpstream(methodVersion) ? Upstream : Paper;
}

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// SAELens 3.13 "cosineannealing" schedule without warm-up, followed by its linear decay tail (spec 01 §3.8).
/// Cosine over T = total − decay steps: lr(t) = lr_end + ½(lr − lr_end)(1 + cos(πt/T)) for t &lt; T; then the tail
/// LinearLR(start_factor = lr_end/lr, end_factor = 0) gives lr(T + i) = lr_end·(1 − i/decay).
/// With the paper's numbers: lr(19 998) = 5e-7 and lr(19 999) = 2.5e-7.
/// </summary>
public static class LrSchedule
{
    /// <param name="step">0-based optimizer step.</param>
    public static double At(int step, int totalSteps, double lr, double lrEnd, int decaySteps)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be non-negative");
        var cosineSteps = totalSteps - decaySteps;
        if (cosineSteps <= 0) throw new ArgumentException($"total_steps ({totalSteps}) must exceed lr_decay_steps ({decaySteps})");
        if (step < cosineSteps)
            return lrEnd + 0.5 * (lr - lrEnd) * (1 + Math.Cos(Math.PI * step / cosineSteps));
        var i = Math.Min(step - cosineSteps, decaySteps);
        return lrEnd * (1.0 - (double)i / decaySteps);
    }
}

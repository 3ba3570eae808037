namespace ClassifSae.FineTuning;

/// <summary>Learning-rate schedules as pure functions of the 0-based optimizer step.</summary>
public static class LearningRateSchedules
{
    /// <summary>HF "cosine": linear warm-up from 0, then a half cosine down to 0 at <paramref name="totalSteps"/> (spec 01 §1.6).</summary>
    public static double CosineWithWarmup(int step, double peak, int warmupSteps, int totalSteps)
    {
        if (step < warmupSteps) return peak * step / Math.Max(1, warmupSteps);
        var progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, progress)));
    }
}

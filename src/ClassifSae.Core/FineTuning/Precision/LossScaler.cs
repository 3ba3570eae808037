namespace ClassifSae.FineTuning.Precision;

/// <summary>
/// Dynamic loss scaling with torch.cuda.amp.GradScaler's defaults: the loss is multiplied by <see cref="Scale"/> (2^16 at the
/// start) before backward; a step whose unscaled gradients hold an inf or NaN is skipped and the scale halved; after
/// <see cref="GrowthInterval"/> consecutive good steps the scale doubles.
/// </summary>
public sealed class LossScaler(double initialScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000)
{
    public double Scale { get; private set; } = initialScale;
    public int GrowthInterval { get; } = growthInterval;

    /// <summary>Good steps since the last change of the scale.</summary>
    public int GoodSteps { get; private set; }

    public int SkippedSteps { get; private set; }

    /// <summary>After each step attempt: whether the gradients overflowed (the step was skipped).</summary>
    public void Update(bool foundInf)
    {
        if (foundInf)
        {
            Scale *= backoffFactor;
            GoodSteps = 0;
            SkippedSteps++;
            return;
        }
        if (++GoodSteps < GrowthInterval) return;
        Scale *= growthFactor;
        GoodSteps = 0;
    }
}

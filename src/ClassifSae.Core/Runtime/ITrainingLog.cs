namespace ClassifSae.Runtime;

/// <summary>
/// Where a training loop writes its scalars (loss terms, learning rate) as it records them, so they can be watched live
/// (the pipeline writes TensorBoard event files); the values are the ones the loop also keeps in its training curve.
/// </summary>
public interface ITrainingLog
{
    /// <param name="tag">what the value is, e.g. <c>finetune/loss</c></param>
    /// <param name="step">the step (or epoch) the loop's curve records it at</param>
    void Scalar(string tag, long step, double value);
}

/// <summary>The default: scalars go nowhere.</summary>
public sealed class NoTrainingLog : ITrainingLog
{
    public static readonly NoTrainingLog Instance = new();

    public void Scalar(string tag, long step, double value) { }
}

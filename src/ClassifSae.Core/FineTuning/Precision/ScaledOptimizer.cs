using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning.Precision;

/// <summary>
/// One training step as HF's Trainer takes it under the chosen precision: backward on the loss (times the loss scale under
/// fp16-mixed), then unscale, and on an inf/NaN gradient skip the step and halve the scale (GradScaler.step/update),
/// otherwise clip and step the <see cref="FlatAdamW"/>.
/// </summary>
public sealed class ScaledOptimizer : IDisposable
{
    public FlatAdamW Optimizer { get; }
    public LossScaler? Scaler { get; }

    public ScaledOptimizer(FlatAdamW optimizer, LossScaler? scaler)
    {
        Optimizer = optimizer;
        Scaler = scaler;
    }

    /// <param name="precision">a <see cref="TrainingPrecision"/> name</param>
    /// <param name="eightBitState">bitsandbytes' 8-bit block-wise AdamW moments</param>
    public static ScaledOptimizer ForModel(nn.Module model, double weightDecay, string precision, bool eightBitState, bool fusedCpuKernel = true)
    {
        var options = new FlatAdamWOptions
        {
            WorkingDtype = TrainingPrecision.WorkingDtype(precision), EightBitState = eightBitState, FusedCpuKernel = fusedCpuKernel,
        };
        return new ScaledOptimizer(FlatAdamW.ForModel(model, weightDecay, options), TrainingPrecision.ScalesLoss(precision) ? new LossScaler() : null);
    }

    public void ZeroGrad() => Optimizer.ZeroGrad();

    /// <param name="loss">a float32 scalar (scaling a float16 loss by 2^16 would overflow on its own)</param>
    public void Backward(Tensor loss)
    {
        if (Scaler is null) { loss.backward(); return; }
        using var scaled = loss.to(ScalarType.Float32) * Scaler.Scale;
        scaled.backward();
    }

    /// <summary>Returns false when the step was skipped because the scaled gradients overflowed.</summary>
    public bool Step(double lr, double maxNorm)
    {
        if (Scaler is not null)
        {
            var finite = Optimizer.UnscaleGradients(1.0 / Scaler.Scale);
            Scaler.Update(foundInf: !finite);
            if (!finite) return false;
        }
        Optimizer.Step(lr, maxNorm).Dispose();
        return true;
    }

    public void Dispose() => Optimizer.Dispose();
}

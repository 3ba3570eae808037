using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Dead-feature counters and the windowed firing frequency (spec 01 §3.8 step 4, §3.9). A feature is dead when
/// it has not fired for MORE than dead_window steps; the firing window resets every feature_sampling_window steps.
/// </summary>
public sealed class FeatureStatistics : IDisposable
{
    private readonly Tensor _stepsSinceFired;
    private readonly Tensor _firingCounts;
    private readonly int _deadWindow;
    private long _samplesInWindow;

    public FeatureStatistics(int dSae, int deadWindow, Device? device = null)
    {
        _deadWindow = deadWindow;
        _stepsSinceFired = zeros(dSae, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope();
        _firingCounts = zeros(dSae, dtype: ScalarType.Float64, device: device).DetachFromDisposeScope();
    }

    public Tensor StepsSinceFired => _stepsSinceFired;

    /// <summary>Bool [d_sae]: steps_since_fired &gt; dead_window.</summary>
    public Tensor DeadMask() => _stepsSinceFired > _deadWindow;

    public void ResetWindow()
    {
        _firingCounts.zero_();
        _samplesInWindow = 0;
    }

    /// <summary>Updates the counters from the hidden activations Z [B,d_sae] of the noised forward pass.</summary>
    public void Update(Tensor z)
    {
        using var _ = no_grad();
        using var counts = z.detach().gt(0).sum(dim: 0);
        UpdateFromCounts(counts, z.shape[0]);
    }

    /// <summary>
    /// <see cref="Update"/> from the per-feature number of samples with Z &gt; 0 ([d_sae] integer), which the training step
    /// already has: the [B, d_sae] comparison and reduction are then done once per step, not twice.
    /// </summary>
    public void UpdateFromCounts(Tensor firingCounts, long samples)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _stepsSinceFired.add_(1).masked_fill_(firingCounts.gt(0), 0);
        _firingCounts.add_(firingCounts.to(ScalarType.Float64));
        _samplesInWindow += samples;
    }

    /// <summary>log10(firing frequency + 1e-10) over the current window, float32 [d_sae] (the SAELens "sparsity").</summary>
    public Tensor LogSparsity()
    {
        using var scope = NewDisposeScope();
        var freq = _samplesInWindow == 0 ? zeros_like(_firingCounts) : _firingCounts / _samplesInWindow;
        return (freq + 1e-10).log10().to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _stepsSinceFired.Dispose();
        _firingCounts.Dispose();
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Removes from each W_dec row's gradient its component along the (unit) row: g_j ← g_j − (g_j·w_j) w_j, so a step
/// cannot change a decoder direction's norm to first order. Upstream (spec 04 §4.3) runs it after backward and before
/// clipping; the paper's code ran it after the optimiser step, where it had no effect (spec 01 §3.14.1).
/// </summary>
public static class DecoderGradientProjection
{
    public static void Apply(TopKSae sae)
    {
        var grad = sae.WDec.grad;
        if (grad is null) return;
        using var _ = no_grad();
        var w = sae.WDec.detach();
        using var parallel = (grad * w).sum(-1, keepdim: true);
        grad.sub_(parallel * w);
    }
}

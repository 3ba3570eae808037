using static TorchSharp.torch;

namespace ClassifSae.Backbones.Decoders;

/// <summary>The boolean attention mask of a left-padded causal batch, with an optional sliding window.</summary>
public static class CausalMask
{
    /// <summary>
    /// [B, 1, T, T] (true = may attend): key j ≤ query i, key j a real token, and with a window W only the last W columns
    /// (i − j &lt; W, transformers' Mistral rule: a token sees itself and the W − 1 before it). The diagonal is always allowed
    /// so pad rows stay finite (they are never read). Null when nothing restricts plain causal attention.
    /// </summary>
    /// <param name="attentionMask">[B, T], 1 = real token; null = no padding</param>
    public static Tensor? Build(Tensor? attentionMask, long length, int? slidingWindow, Device device)
    {
        var windowBites = slidingWindow is { } w && length > w;
        if (attentionMask is null && !windowBites) return null;
        using var scope = NewDisposeScope();
        var causal = ones(length, length, dtype: ScalarType.Bool, device: device).tril();
        if (windowBites) causal = causal & ones(length, length, dtype: ScalarType.Bool, device: device).triu(-(slidingWindow!.Value - 1));
        var mask = causal.unsqueeze(0).unsqueeze(0);                                                  // [1,1,T,T]
        if (attentionMask is not null) mask = mask & attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1); // [B,1,T,T]
        mask = mask | eye(length, dtype: ScalarType.Bool, device: device);
        return mask.MoveToOuterDisposeScope();
    }
}

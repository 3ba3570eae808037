using static TorchSharp.torch;

namespace ClassifSae.Backbones.SequenceClassifiers;

/// <summary>Reads the hooked vector of each row out of an encoder state [B, T, D].</summary>
public static class EncoderStates
{
    /// <param name="mask">[B, T], 1 = real token (right padding)</param>
    public static Tensor Pool(Tensor states, Tensor mask, EncoderHookPooling pooling)
    {
        if (pooling == EncoderHookPooling.FirstToken) return states[.., 0, ..].clone();
        using var scope = NewDisposeScope();
        var m = mask.to(states.dtype).unsqueeze(-1);
        var mean = (states * m).sum(1) / m.sum(1).clamp_min(1);
        return mean.MoveToOuterDisposeScope();
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>A trained TopK SAE seen by evaluation: activations are the TopK codes, reconstructions rescale back by ‖x‖/√d.</summary>
public sealed class SaeBottleneck(TopKSae sae) : IConceptBottleneck
{
    public Tensor Activations(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var enc = sae.Encode(hidden);
        return enc.Z.MoveToOuterDisposeScope();
    }

    public Tensor ReconstructMasked(Tensor hidden, Tensor keep)
    {
        using var scope = NewDisposeScope();
        var enc = sae.Encode(hidden);
        return sae.DecodeMasked(enc.Z, enc.Scale, keep).MoveToOuterDisposeScope();
    }

    public Tensor Directions() => sae.WDec.detach().clone();
}

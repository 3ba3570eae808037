using static TorchSharp.torch;

namespace ClassifSae.Concepts.Ica;

/// <summary>ICA seen by evaluation (spec 02 §2.1): signed dense sources; x̂ = mixing · ã + μ; directions = unmixing rows.</summary>
public sealed class IcaBottleneck(IcaModel model) : IConceptBottleneck
{
    public Tensor Activations(Tensor hidden) => model.Encode(hidden);

    public Tensor ReconstructMasked(Tensor hidden, Tensor keep)
    {
        using var scope = NewDisposeScope();
        return model.Decode(model.Encode(hidden) * keep.to(hidden.dtype)).MoveToOuterDisposeScope();
    }

    public Tensor Directions() => model.Components.clone();
}

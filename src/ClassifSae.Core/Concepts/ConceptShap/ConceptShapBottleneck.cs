using static TorchSharp.torch;

namespace ClassifSae.Concepts.ConceptShap;

/// <summary>ConceptSHAP seen by evaluation (spec 02 §2.2): thresholded scores, MLP reconstruction, directions = concept vectors.</summary>
public sealed class ConceptShapBottleneck(ConceptShapModel model) : IConceptBottleneck
{
    public Tensor Activations(Tensor hidden) => model.Activations(hidden);

    public Tensor ReconstructMasked(Tensor hidden, Tensor keep)
    {
        using var scope = NewDisposeScope();
        return model.Decode(model.Activations(hidden) * keep.to(hidden.dtype)).MoveToOuterDisposeScope();
    }

    public Tensor Directions() => model.Concepts.detach().t().contiguous();
}

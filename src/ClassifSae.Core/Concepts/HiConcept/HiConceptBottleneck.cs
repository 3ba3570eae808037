using ClassifSae.Evaluation.Completeness;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.HiConcept;

/// <summary>HI-Concept seen by evaluation (spec 04 §5.2.4): encoding = the activations a, decoding = the MLP, directions = the concept vectors.</summary>
public sealed class HiConceptBottleneck(HiConceptModel model) : IConceptBottleneck
{
    public Tensor Activations(Tensor hidden) => model.Activations(hidden);

    public Tensor ReconstructMasked(Tensor hidden, Tensor keep)
    {
        using var scope = NewDisposeScope();
        return model.Decode(model.Activations(hidden) * keep.to(hidden.dtype)).MoveToOuterDisposeScope();
    }

    public Tensor Directions() => model.Concepts.detach().t().contiguous();
}

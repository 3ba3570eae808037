using static TorchSharp.torch;

namespace ClassifSae.Concepts.ConceptShap;

/// <summary>
/// The two regularisers upstream's ConceptSHAP v2 and HI-Concept share (spec 04 §5.1.2, §5.2.2), on unit-norm
/// concept vectors Ĉ [d, n].
/// </summary>
public static class ConceptRegularisers
{
    /// <summary>
    /// R1 = −mean_j mean(top-k over the batch of m[:, j]), k = max(1, B/4) (integer division): concepts close to a
    /// quarter of each batch. <paramref name="closeness"/> [B, n] is the cosine (ConceptSHAP v2) or the concept softmax (HI-Concept).
    /// </summary>
    public static Tensor TopQuarterCloseness(Tensor closeness)
    {
        var k = Math.Max(1, closeness.size(0) / 4);
        using var scope = NewDisposeScope();
        return (-closeness.topk((int)k, dim: 0).values.mean()).MoveToOuterDisposeScope();
    }

    /// <summary>R2 = mean over all n×n entries of ĈᵀĈ − I (signed cosines, zero diagonal): minimising it pushes concepts apart.</summary>
    public static Tensor SignedDecorrelation(Tensor unitConcepts)
    {
        using var scope = NewDisposeScope();
        var n = unitConcepts.size(1);
        var gram = unitConcepts.t().matmul(unitConcepts);
        return (gram - eye(n, dtype: gram.dtype, device: gram.device)).mean().MoveToOuterDisposeScope();
    }
}

using ClassifSae.Backbones;
using ClassifSae.Concepts;
using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Completeness;

/// <summary>
/// The concept-bottleneck model's label logits (spec 02 §4.1): reconstruct each batch of states from the kept features,
/// run the tail from the decision hook layer, keep the label tokens' logits. The completeness pass and every causality
/// ablation go through this one function, as does the ablation benchmark.
/// </summary>
public static class BottleneckLogits
{
    /// <param name="rescaleToInputNorm">upstream (spec 04 §3.6): x̂ ← x̂·‖x‖₂/(‖x̂‖₂ + 1e-9) per sentence before the tail</param>
    /// <returns>a function (states [N, D], keep bool [F]) → label logits [N, K] on the CPU, float32 (the tail runs in the model's dtype)</returns>
    public static Func<Tensor, Tensor, Tensor> For(IConceptBottleneck bottleneck, IClassifierBackbone model, Tensor labelIds, int batch, Device device,
        bool rescaleToInputNorm = false)
    {
        var hook = model.Shape.DecisionHookLayer;
        var dtype = ComputeDtype.Of(model);
        return (hidden, keep) => Batched.Apply(hidden, batch, part =>
        {
            using var scope = NewDisposeScope();
            var reconstruction = bottleneck.ReconstructMasked(part, keep);
            var xhat = rescaleToInputNorm ? RescaleToNorm(reconstruction, part) : reconstruction;
            var logits = model.Tail(xhat.to(device).to(dtype), hook, labelIds);
            return logits.cpu().to(ScalarType.Float32).MoveToOuterDisposeScope();
        });
    }

    /// <summary>x̂ scaled per row to the norm of the original state x: x̂·‖x‖₂/(‖x̂‖₂ + 1e-9) (spec 04 §3.6).</summary>
    public static Tensor RescaleToNorm(Tensor reconstruction, Tensor original)
    {
        using var target = linalg.vector_norm(original, 2, [-1], keepdim: true);
        using var current = linalg.vector_norm(reconstruction, 2, [-1], keepdim: true);
        using var factor = target / (current + 1e-9);
        return reconstruction * factor;
    }
}

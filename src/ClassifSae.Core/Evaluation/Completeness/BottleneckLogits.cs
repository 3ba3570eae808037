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
    /// <returns>a function (states [N, D], keep bool [F]) → label logits [N, K] on the CPU</returns>
    public static Func<Tensor, Tensor, Tensor> For(IConceptBottleneck bottleneck, IClassifierBackbone model, Tensor labelIds, int batch, Device device)
    {
        var hook = model.Shape.DecisionHookLayer;
        return (hidden, keep) => Batched.Apply(hidden, batch, part =>
        {
            using var xhat = bottleneck.ReconstructMasked(part, keep);
            using var logits = model.Tail(xhat.to(device), hook, labelIds);
            return logits.cpu();
        });
    }
}

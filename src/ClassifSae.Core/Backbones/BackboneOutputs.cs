using static TorchSharp.torch;

namespace ClassifSae.Backbones;

/// <summary>
/// A full forward's outputs as transformers returns them with <c>output_hidden_states=True</c>:
/// <paramref name="HiddenStates"/> [L+1, B, T, D] (index 0 = embeddings; the last entry is after the final norm where the
/// family applies one there) and <paramref name="Logits"/> [B, T, V] for causal LMs or [B, C] for sequence classifiers.
/// </summary>
public sealed record BackboneOutputs(Tensor HiddenStates, Tensor Logits) : IDisposable
{
    public bool PerTokenLogits => Logits.dim() == 3;

    public void Dispose()
    {
        HiddenStates.Dispose();
        Logits.Dispose();
    }
}

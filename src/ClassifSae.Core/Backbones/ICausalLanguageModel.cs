using static TorchSharp.torch;

namespace ClassifSae.Backbones;

/// <summary>A backbone that can also be trained as a causal LM (the smoke run pretrains its tiny model on the raw texts first).</summary>
public interface ICausalLanguageModel
{
    /// <summary>Mean next-token cross-entropy over the real (unpadded) positions of the batch.</summary>
    Tensor NextTokenLoss(TokenBatch batch);
}

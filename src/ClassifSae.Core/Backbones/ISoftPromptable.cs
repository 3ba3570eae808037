using static TorchSharp.torch;

namespace ClassifSae.Backbones;

/// <summary>A backbone that can read its decision with trained vectors put in front of every prompt (soft-prompt alignment, spec 04 §3.3).</summary>
public interface ISoftPromptable
{
    /// <summary>The decision state entering <paramref name="hookLayer"/> [B, D] and the logits [B, V] with <paramref name="softPrompt"/> [P, D] in front.</summary>
    (Tensor Hidden, Tensor Logits) Decision(TokenBatch batch, Tensor softPrompt, int hookLayer, int position = -2);
}

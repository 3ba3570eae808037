using static TorchSharp.torch;

namespace ClassifSae.SentenceEncoders.MiniLm;

/// <summary>sentence-transformers' Pooling (mean mode) and Normalize modules.</summary>
public static class MeanPooling
{
    /// <summary>Σ_t mask·h / max(Σ_t mask, 1e-9): the average over real tokens only ([B, T, D] → [B, D]).</summary>
    public static Tensor Mean(Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var m = attentionMask.unsqueeze(-1).to(hidden.dtype);
        var sum = (hidden * m).sum(1);
        var count = m.sum(1).clamp_min(1e-9);
        return (sum / count).MoveToOuterDisposeScope();
    }

    /// <summary>torch.nn.functional.normalize(p=2, dim=1, eps=1e-12): unit rows; an all-zero row stays zero.</summary>
    public static Tensor L2Normalize(Tensor x)
    {
        using var scope = NewDisposeScope();
        var norm = x.norm(1, keepdim: true).clamp_min(1e-12);
        return (x / norm).MoveToOuterDisposeScope();
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// An intermediate checkpoint handed to the caller (spec 01 §3.11); the caller saves it, e.g. with
/// <see cref="SaeFolder.Save"/> into a folder named after <see cref="TokensSeen"/>. <see cref="LogSparsity"/> is
/// owned by the trainer and only valid during the callback.
/// </summary>
public sealed record SaeCheckpoint(int Step, long TokensSeen, TopKSae Sae, Tensor LogSparsity);

public static class Checkpoints
{
    /// <summary>
    /// SAELens 3.13: thresholds = range(0, total_tokens, total_tokens // n)[1:]; a checkpoint is due the first time
    /// tokens_seen exceeds the next threshold. n = 2 and 10 M tokens give one intermediate checkpoint at 5 000 500.
    /// The final checkpoint is not included.
    /// </summary>
    public static IReadOnlyList<long> Thresholds(long totalTokens, int nCheckpoints)
    {
        if (nCheckpoints <= 0) return [];
        var stride = totalTokens / nCheckpoints;
        if (stride <= 0) return [];
        var result = new List<long>();
        for (var t = stride; t < totalTokens; t += stride) result.Add(t);
        return result;
    }
}

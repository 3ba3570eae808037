using ClassifSae.Text;
using static TorchSharp.torch;

namespace ClassifSae.Backbones;

/// <summary>
/// A left-padded batch for the backbone: token ids [B, T] (int64), attention mask [B, T] (1 = real token,
/// null when no row is padded) and per-token rotary positions [B, T] (pad-aware: the first real token is 0).
/// </summary>
public sealed record TokenBatch(Tensor InputIds, Tensor? AttentionMask, Tensor Positions) : IDisposable
{
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask?.Dispose();
        Positions.Dispose();
    }

    /// <summary>Left-pads the sequences to a common length (optionally keeping only the last <paramref name="maxLength"/> tokens).</summary>
    public static TokenBatch LeftPadded(IReadOnlyList<int[]> sequences, int padId, Device? device = null, int? maxLength = null)
    {
        if (sequences.Count == 0) throw new ArgumentException("empty batch", nameof(sequences));
        var batch = PromptBatch.Create(sequences, padId, maxLength);
        var (ids, mask, positions) = batch.ToTensors(device ?? CPU);
        if (batch.RowLengths.All(l => l == batch.Length))
        {
            // No row is padded: a null mask lets attention take the plain causal path.
            mask.Dispose();
            return new TokenBatch(ids, null, positions);
        }
        return new TokenBatch(ids, mask, positions);
    }
}

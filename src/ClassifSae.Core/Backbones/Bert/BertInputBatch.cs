using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// Right-padded token ids [B, T] (int64) and attention mask [B, T] (int64, 1 = real token), T the longest row,
/// as HF tokenizers pad for BERT (padding="longest", padding_side="right").
/// </summary>
public sealed record BertInputBatch(Tensor InputIds, Tensor AttentionMask) : IDisposable
{
    public static BertInputBatch RightPadded(IReadOnlyList<int[]> sequences, int padId, Device? device = null)
    {
        if (sequences.Count == 0) throw new ArgumentException("empty batch", nameof(sequences));
        var t = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * t];
        var mask = new long[sequences.Count * t];
        for (var b = 0; b < sequences.Count; b++)
            for (var j = 0; j < t; j++)
            {
                var real = j < sequences[b].Length;
                ids[b * t + j] = real ? sequences[b][j] : padId;
                mask[b * t + j] = real ? 1 : 0;
            }
        long[] shape = [sequences.Count, t];
        return new BertInputBatch(tensor(ids, shape, device: device ?? CPU), tensor(mask, shape, device: device ?? CPU));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

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
        var seqs = sequences.Select(s => maxLength is int m && s.Length > m ? s[^m..] : s).ToArray();
        var t = seqs.Max(s => s.Length);
        var b = seqs.Length;
        var ids = new long[b * t];
        var mask = new long[b * t];
        var pos = new long[b * t];
        var anyPad = false;
        for (var i = 0; i < b; i++)
        {
            var offset = t - seqs[i].Length;
            anyPad |= offset > 0;
            for (var j = 0; j < t; j++)
            {
                var idx = i * t + j;
                if (j < offset) { ids[idx] = padId; continue; }
                ids[idx] = seqs[i][j - offset];
                mask[idx] = 1;
                pos[idx] = j - offset;
            }
        }
        var dev = device ?? CPU;
        return new TokenBatch(
            tensor(ids, [b, t], device: dev),
            anyPad ? tensor(mask, [b, t], device: dev) : null,
            tensor(pos, [b, t], device: dev));
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Text;

/// <summary>
/// A left-padded batch of token sequences (spec §1.3, §2.4, §2.5). Padding on the left puts every row's last
/// token in column T−1 (the label digit for full prompts), so the decision position is column T−2 for every row.
/// Arrays are row-major [B, T].
/// </summary>
public sealed class PromptBatch
{
    public int BatchSize { get; }
    public int Length { get; }

    /// <summary>Token ids, pad id on the left.</summary>
    public long[] InputIds { get; }

    /// <summary>1 for a real token, 0 for padding.</summary>
    public long[] AttentionMask { get; }

    /// <summary>Pad-aware positions: cumsum(mask) − 1, clamped at 0, so each row matches running it alone.</summary>
    public long[] PositionIds { get; }

    /// <summary>Length of each row after truncation (number of real tokens).</summary>
    public int[] RowLengths { get; }

    private PromptBatch(int batchSize, int length, long[] ids, long[] mask, long[] pos, int[] rowLengths)
    {
        (BatchSize, Length, InputIds, AttentionMask, PositionIds, RowLengths) = (batchSize, length, ids, mask, pos, rowLengths);
    }

    /// <summary>Column of the label digit for every row.</summary>
    public int LabelColumn => Length - 1;

    /// <summary>Column of the decision position (the token right before the label digit) for every row.</summary>
    public int DecisionColumn => Length >= 2 ? Length - 2
        : throw new InvalidOperationException("A batch needs at least two columns to have a decision position.");

    /// <summary>
    /// Left-pads the sequences to the longest one. With <paramref name="maxLength"/>, a longer sequence keeps
    /// only its last <paramref name="maxLength"/> tokens (left truncation, so the label and decision tokens survive).
    /// </summary>
    public static PromptBatch Create(IReadOnlyList<IReadOnlyList<int>> sequences, int padId, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("A batch needs at least one sequence.", nameof(sequences));
        if (maxLength is < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "maxLength must be positive.");

        var rowLengths = new int[sequences.Count];
        for (var b = 0; b < sequences.Count; b++)
        {
            var n = sequences[b]?.Count ?? throw new ArgumentException($"Sequence {b} is null.", nameof(sequences));
            if (n == 0) throw new ArgumentException($"Sequence {b} is empty.", nameof(sequences));
            rowLengths[b] = maxLength is { } m ? Math.Min(n, m) : n;
        }

        int batch = sequences.Count, length = rowLengths.Max();
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        var pos = new long[batch * length];
        Array.Fill(ids, padId);
        for (var b = 0; b < batch; b++)
        {
            var seq = sequences[b];
            int keep = rowLengths[b], skip = seq.Count - keep, pad = length - keep, row = b * length;
            for (var j = 0; j < keep; j++)
            {
                ids[row + pad + j] = seq[skip + j];
                mask[row + pad + j] = 1;
                pos[row + pad + j] = j; // pad columns keep position 0 (the clamp of −1)
            }
        }
        return new PromptBatch(batch, length, ids, mask, pos, rowLengths);
    }

    /// <summary>Int64 tensors [B, T]: input ids, attention mask, position ids.</summary>
    public (Tensor InputIds, Tensor AttentionMask, Tensor PositionIds) ToTensors(Device? device = null)
    {
        long[] shape = [BatchSize, Length];
        return (tensor(InputIds, shape, ScalarType.Int64, device),
                tensor(AttentionMask, shape, ScalarType.Int64, device),
                tensor(PositionIds, shape, ScalarType.Int64, device));
    }

    /// <summary>Index of the decision position in one unpadded full-prompt sequence (L−2).</summary>
    public static int DecisionIndex(IReadOnlyList<int> fullPromptTokens) =>
        fullPromptTokens.Count >= 2 ? fullPromptTokens.Count - 2
            : throw new ArgumentException("A full prompt has at least two tokens.", nameof(fullPromptTokens));
}

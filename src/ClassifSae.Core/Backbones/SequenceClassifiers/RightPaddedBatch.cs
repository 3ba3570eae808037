using static TorchSharp.torch;

namespace ClassifSae.Backbones.SequenceClassifiers;

/// <summary>
/// Batches for encoders as transformers' <c>DataCollatorWithPadding</c> makes them (spec 04 §2.2): padded on the right with
/// the pad id, the mask kept even when no row is padded. Truncation cuts the text on the right and keeps the final
/// special token ([SEP], &lt;/s&gt;), as the tokenizer's truncation does.
/// </summary>
public static class RightPaddedBatch
{
    /// <param name="positions">ids [B, T], mask [B, T] → the family's position ids [B, T]</param>
    public static TokenBatch Create(IReadOnlyList<int[]> prompts, int padId, int? maxLength, Device device, Func<Tensor, Tensor, Tensor> positions)
    {
        if (prompts.Count == 0) throw new ArgumentException("empty batch", nameof(prompts));
        if (maxLength is < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), $"max length {maxLength} leaves no room for the special tokens");
        var rows = prompts.Select(p => maxLength is { } m && p.Length > m ? [.. p[..(m - 1)], p[^1]] : p).ToList();
        if (rows.Any(r => r.Length == 0)) throw new ArgumentException("an encoded prompt is empty", nameof(prompts));
        var t = rows.Max(r => r.Length);
        var ids = new long[rows.Count * t];
        var mask = new long[rows.Count * t];
        for (var b = 0; b < rows.Count; b++)
            for (var j = 0; j < t; j++)
            {
                var real = j < rows[b].Length;
                ids[b * t + j] = real ? rows[b][j] : padId;
                mask[b * t + j] = real ? 1 : 0;
            }
        long[] shape = [rows.Count, t];
        return FromTensors(tensor(ids, shape, device: device), tensor(mask, shape, device: device), positions);
    }

    /// <summary>A batch of copies of given ids and mask (a golden file's rows).</summary>
    public static TokenBatch FromTensors(Tensor ids, Tensor mask, Func<Tensor, Tensor, Tensor> positions)
    {
        var i = ids.to(ScalarType.Int64, copy: true);
        var m = mask.to(ScalarType.Int64, copy: true);
        return new TokenBatch(i, m, positions(i, m));
    }

    /// <summary>Absolute positions 0…T−1 for every row (BERT's and DeBERTa's default position_ids).</summary>
    public static Tensor AbsolutePositions(Tensor ids) =>
        arange(ids.size(1), dtype: ScalarType.Int64, device: ids.device).unsqueeze(0).expand(ids.size(0), -1).contiguous();
}

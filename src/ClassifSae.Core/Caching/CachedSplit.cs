using static TorchSharp.torch;

namespace ClassifSae.Caching;

/// <summary>
/// Decision-token states of one split, row-aligned: hidden [N, D] (fp32), the LLM's predicted label, the
/// sentence index in the data set, the true label, and (optionally) the label-restricted logits [N, K].
/// </summary>
public sealed record CachedSplit(Tensor Hidden, long[] Predicted, long[] SentenceIndex, long[] TrueLabel, Tensor? LabelLogits) : IDisposable
{
    public int Count => Predicted.Length;

    public void Dispose()
    {
        Hidden.Dispose();
        LabelLogits?.Dispose();
    }

    /// <summary>Rows sorted by sentence index (dataset order), whatever order the shards hold them in.</summary>
    public CachedSplit InDatasetOrder()
    {
        var order = Enumerable.Range(0, Count).OrderBy(i => SentenceIndex[i]).ToArray();
        using var idx = tensor(order.Select(i => (long)i).ToArray());
        return new CachedSplit(
            Hidden.index_select(0, idx),
            order.Select(i => Predicted[i]).ToArray(),
            order.Select(i => SentenceIndex[i]).ToArray(),
            order.Select(i => TrueLabel[i]).ToArray(),
            LabelLogits?.index_select(0, idx));
    }
}

namespace ClassifSae.FineTuning;

/// <summary>Seeded epoch-wise shuffling: every index once per epoch, a new permutation each epoch, like a random sampler.</summary>
public sealed class BatchOrder(int count, int batchSize, long seed)
{
    private readonly Random _random = new(unchecked((int)seed));
    private int[] _order = [];
    private int _cursor;

    public int[] Next()
    {
        if (count == 0) throw new InvalidOperationException("cannot draw batches from an empty set");
        var batch = new int[Math.Min(batchSize, count)];
        for (var i = 0; i < batch.Length; i++)
        {
            if (_cursor == _order.Length) Reshuffle();
            batch[i] = _order[_cursor++];
        }
        return batch;
    }

    private void Reshuffle()
    {
        _order = Enumerable.Range(0, count).ToArray();
        _random.Shuffle(_order);
        _cursor = 0;
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Batches drawn from in-memory rows by an i.i.d. permutation per epoch from a seeded generator (the documented
/// "fixed quirk" alternative to the original half-file loader, spec 01 §3.7). Epochs are chained: a batch that
/// straddles an epoch boundary takes the rest of one permutation and the start of the next, so batches are
/// always full and every row is seen equally often.
/// </summary>
public sealed class InMemoryActivationBatches : IActivationBatches, IDisposable
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly Generator _generator;
    private long[] _order = [];
    private int _position;

    public InMemoryActivationBatches(Tensor x, Tensor y, int batchSize, long seed)
    {
        if (x.dim() != 2) throw new ArgumentException($"activations must be [N,d_in], got [{string.Join(",", x.shape)}]");
        if (y.dim() != 1 || y.shape[0] != x.shape[0]) throw new ArgumentException($"labels must be [{x.shape[0]}], got [{string.Join(",", y.shape)}]");
        if (batchSize <= 0) throw new ArgumentException($"batch size must be positive, got {batchSize}");
        _x = x.detach().to(ScalarType.Float32).clone().DetachFromDisposeScope();
        _y = y.detach().to(ScalarType.Int64).clone().DetachFromDisposeScope();
        _generator = new Generator((ulong)seed);
        BatchSize = batchSize;
    }

    public int DIn => (int)_x.shape[1];
    public int BatchSize { get; }
    public long Rows => _x.shape[0];

    public ActivationBatch Next()
    {
        var indices = new long[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            if (_position == _order.Length) NewEpoch();
            indices[i] = _order[_position++];
        }
        using var idx = tensor(indices);
        return new ActivationBatch(_x.index_select(0, idx), _y.index_select(0, idx));
    }

    private void NewEpoch()
    {
        using var perm = randperm(Rows, generator: _generator);
        _order = perm.data<long>().ToArray();
        _position = 0;
    }

    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
        _generator.Dispose();
    }
}

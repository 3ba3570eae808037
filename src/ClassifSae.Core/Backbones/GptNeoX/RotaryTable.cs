using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>
/// The rotary cos/sin of every position 0…capacity−1, computed once per device (capacity: the config's maximum positions,
/// grown if a longer sequence ever comes). A forward then gathers the rows of its positions instead of recomputing powers,
/// products, concatenation, cos and sin for every batch. Each row is <see cref="RotaryEmbedding.Angles"/> at that
/// position bit for bit (transformers' float32 computation, done once).
/// </summary>
internal sealed class RotaryTable(int rotaryDims, double theta, int minCapacity) : IDisposable
{
    private readonly Lock _lock = new();
    private Tensor? _cos, _sin;                       // [capacity, r] float32
    private string _device = "";

    /// <summary>(cos, sin) of shape [B, 1, T, r] for positions [B, T], as <see cref="RotaryEmbedding.Angles"/> returns them.</summary>
    public (Tensor Cos, Tensor Sin) Angles(Tensor positions)
    {
        var (cos, sin) = Table(positions.size(1), positions.device);
        using var flat = positions.reshape(-1);
        long[] shape = [positions.size(0), 1, positions.size(1), rotaryDims];
        return (cos.index_select(0, flat).view(shape), sin.index_select(0, flat).view(shape));
    }

    private (Tensor Cos, Tensor Sin) Table(long length, Device device)
    {
        lock (_lock)
        {
            // Positions are pad-aware offsets inside the sequence, so they stay below its length T.
            if (_cos is not null && _cos.size(0) >= length && _device == device.ToString()) return (_cos, _sin!);
            _cos?.Dispose();
            _sin?.Dispose();
            using var scope = NewDisposeScope();
            using var positions = arange(Math.Max(length, minCapacity), dtype: ScalarType.Int64, device: device).unsqueeze(0);
            var (cos, sin) = RotaryEmbedding.Angles(positions, rotaryDims, theta);
            _cos = cos.view(-1, rotaryDims).contiguous().DetachFromDisposeScope();
            _sin = sin.view(-1, rotaryDims).contiguous().DetachFromDisposeScope();
            _device = device.ToString();
            return (_cos, _sin);
        }
    }

    public void Dispose()
    {
        _cos?.Dispose();
        _sin?.Dispose();
    }
}

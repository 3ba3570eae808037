using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning;

/// <summary>
/// The float16/bfloat16 gradients of a half working copy read chunk by chunk: each chunk becomes float32 (unscaled, clipped)
/// only while it is used, so no float32 gradient buffer of the model's size is kept (for GPT-J-6B that buffer is 24 GB).
/// Element by element the values are those of converting the whole buffer at once; only the norm's summation order differs.
/// </summary>
internal sealed class HalfGradientChunks(Tensor gradients, long chunk)
{
    /// <summary>The default chunk: 2^24 values, 64 MB as float32.</summary>
    public const long DefaultChunk = 1L << 24;

    public long Chunk { get; } = chunk > 0 ? chunk : throw new ArgumentOutOfRangeException(nameof(chunk), "the chunk must hold at least one value");

    /// <summary>[start, end) cut into consecutive ranges of at most <see cref="Chunk"/> values.</summary>
    public IEnumerable<(long Offset, long Count)> Ranges(long start, long end)
    {
        for (var o = start; o < end; o += Chunk) yield return (o, Math.Min(Chunk, end - o));
    }

    /// <summary>The float32 gradient of [offset, offset + count): times <paramref name="inverseScale"/>, then times <paramref name="clip"/> (GradScaler's unscale, then clip_grad_norm_).</summary>
    public Tensor Float32(long offset, long count, double inverseScale, Tensor? clip)
    {
        var g = gradients.narrow(0, offset, count).to(ScalarType.Float32);
        if (inverseScale != 1.0) g.mul_(inverseScale);
        if (clip is not null) g.mul_(clip);
        return g;
    }

    /// <summary>Whether every unscaled gradient is finite, and the squared L2 norm of the unscaled gradients (0-dim float32).</summary>
    public (bool Finite, Tensor NormSquared) Inspect(double inverseScale)
    {
        using var scope = NewDisposeScope();
        var finite = ones([], dtype: ScalarType.Bool, device: gradients.device);
        var normSquared = zeros([], dtype: ScalarType.Float32, device: gradients.device);
        foreach (var (offset, count) in Ranges(0, gradients.numel()))
        {
            using var inner = NewDisposeScope();
            var g = Float32(offset, count, inverseScale, null);
            finite.logical_and_(isfinite(g).all());
            normSquared.add_(linalg.vector_norm(g).square());
        }
        // One host sync per step, not one per chunk.
        return (finite.item<bool>(), normSquared.MoveToOuterDisposeScope());
    }
}

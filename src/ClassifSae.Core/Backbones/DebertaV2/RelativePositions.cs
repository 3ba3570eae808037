using static TorchSharp.torch;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// transformers' <c>build_relative_position</c> for DeBERTa-v2: δ = i − j for query i and key j, log-bucketed when
/// position_buckets &gt; 0 (<c>make_log_bucket_position</c>, spec 04 §3.7.5): |δ| ≤ mid = buckets/2 stays δ, farther ones become
/// sign(δ)·(ceil(ln(|δ|/mid) / ln((max−1)/mid) · (mid−1)) + mid), computed in float32 as transformers does (ceil is sensitive to it).
/// </summary>
public static class RelativePositions
{
    /// <returns>[q, k] int64</returns>
    public static Tensor Build(int queries, int keys, int buckets, int maxPosition, Device device)
    {
        using var scope = NewDisposeScope();
        var delta = arange(queries, dtype: ScalarType.Int64, device: device).unsqueeze(1) - arange(keys, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        if (buckets <= 0 || maxPosition <= 0) return delta.MoveToOuterDisposeScope();
        var mid = buckets / 2;
        var near = delta.lt(mid) & delta.gt(-mid);
        var absPos = where(near, tensor(mid - 1L, device: device), delta.abs());
        var span = tensor((float)((maxPosition - 1) / (double)mid), device: device).log();
        var ratio = (absPos.to(ScalarType.Float32) / (float)mid).log() / span;
        var logPos = (ratio * (float)(mid - 1)).ceil() + mid;
        var bucketed = where(absPos.le(mid), delta.to(ScalarType.Float32), logPos * delta.sign().to(ScalarType.Float32));
        return bucketed.to(ScalarType.Int64).MoveToOuterDisposeScope();
    }
}

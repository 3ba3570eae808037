using static TorchSharp.torch;

namespace ClassifSae.Formats;

/// <summary>
/// Refuses NaN and infinite values where they would otherwise travel on silently (weights read, states cached, shards
/// read, SAEs saved): one <c>isfinite().all()</c> per tensor, and a count only when something is wrong.
/// </summary>
public static class FiniteTensors
{
    /// <summary>Throws <see cref="InvalidDataException"/> "<paramref name="file"/>: tensor 'name' holds … non-finite values" unless every value is finite.</summary>
    /// <param name="consequence">Appended after a semicolon, e.g. "nothing was written".</param>
    public static void Require(Tensor tensor, string file, string name, string? consequence = null)
    {
        if (!tensor.is_floating_point()) return;
        using (var finite = isfinite(tensor))
        using (var all = finite.all())
            if (all.item<bool>()) return;
        long nan, inf;
        using (var isNan = isnan(tensor)) using (var count = isNan.sum()) nan = count.item<long>();
        using (var isInf = isinf(tensor)) using (var count = isInf.sum()) inf = count.item<long>();
        throw new InvalidDataException($"{file}: tensor '{name}' holds {nan} NaN and {inf} infinite value(s) among {tensor.numel()}"
                                       + (consequence is null ? "" : $"; {consequence}"));
    }
}

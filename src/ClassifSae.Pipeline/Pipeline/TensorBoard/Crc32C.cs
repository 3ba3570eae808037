using System.Numerics;

namespace ClassifSae.Pipeline.TensorBoard;

/// <summary>CRC-32C (Castagnoli), as TFRecord framing uses it, and its "masked" form that TFRecord stores.</summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>TFRecord's mask: rotate right by 15 bits and add a constant (so a CRC of data holding CRCs stays strong).</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Compute(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}

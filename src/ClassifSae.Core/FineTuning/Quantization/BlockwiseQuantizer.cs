using static TorchSharp.torch;

namespace ClassifSae.FineTuning.Quantization;

/// <summary>
/// bitsandbytes' block-wise 8-bit quantisation (<c>quantize_blockwise</c> / <c>dequantize_blockwise</c>): a flat tensor is cut
/// into blocks of <see cref="BlockSize"/> values (the last may be shorter); each block is divided by its absolute maximum
/// (a block of zeros by 1) and every value is stored as the index of the nearest code of a 256-value map, ties to the lower
/// index (torch.argmin's first minimum). Dequantising looks the code up and multiplies by the block's absmax.
/// </summary>
public sealed class BlockwiseQuantizer : IDisposable
{
    /// <summary>bitsandbytes' 8-bit optimisers use blocks of 256 (the block-wise kernels of 0.44 and later; older ones used 2048).</summary>
    public const int DefaultBlockSize = 256;

    private readonly Tensor _code, _midpoints;

    public int BlockSize { get; }

    public BlockwiseQuantizer(float[] code, int blockSize = DefaultBlockSize, Device? device = null)
    {
        if (code.Length != 256) throw new ArgumentException($"an 8-bit map has 256 codes, not {code.Length}", nameof(code));
        for (var i = 1; i < code.Length; i++)
            if (code[i] < code[i - 1]) throw new ArgumentException("the code map must be sorted", nameof(code));
        BlockSize = blockSize;
        _code = tensor(code, device: device);
        var mid = new float[code.Length - 1];
        for (var i = 0; i < mid.Length; i++) mid[i] = (code[i] + code[i + 1]) / 2f;
        _midpoints = tensor(mid, device: device);
    }

    public static long Blocks(long count, int blockSize) => (count + blockSize - 1) / blockSize;

    /// <summary>(codes [N] uint8, absmax [blocks] float32) of a flat float32 tensor.</summary>
    public (Tensor Codes, Tensor Absmax) Quantize(Tensor values)
    {
        using var scope = NewDisposeScope();
        var (blocked, n) = Blocked(values.to(ScalarType.Float32).flatten());
        var absmax = blocked.abs().amax([1], keepdim: true);
        absmax = where(absmax.eq(0), ones_like(absmax), absmax);
        var scaled = (blocked / absmax).flatten().narrow(0, 0, n);
        // Nearest code: the number of midpoints strictly below x (a value on a midpoint goes to the lower code).
        var codes = bucketize(scaled, _midpoints, false, false).to(ScalarType.Byte);
        return (codes.MoveToOuterDisposeScope(), absmax.flatten().MoveToOuterDisposeScope());
    }

    /// <summary>The float32 values [N] of <paramref name="codes"/> [N] with the per-block <paramref name="absmax"/>.</summary>
    public Tensor Dequantize(Tensor codes, Tensor absmax)
    {
        using var scope = NewDisposeScope();
        var (blocked, n) = Blocked(_code.index_select(0, codes.flatten().to(ScalarType.Int64)));
        return (blocked * absmax.unsqueeze(1)).flatten().narrow(0, 0, n).MoveToOuterDisposeScope();
    }

    /// <summary>The flat tensor zero-padded to whole blocks, as [blocks, BlockSize], and its real length.</summary>
    private (Tensor Blocked, long Count) Blocked(Tensor flat)
    {
        var n = flat.numel();
        var blocks = Blocks(n, BlockSize);
        var pad = blocks * BlockSize - n;
        var padded = pad > 0 ? nn.functional.pad(flat, [0, pad]) : flat;
        return (padded.view(blocks, BlockSize), n);
    }

    public void Dispose()
    {
        _code.Dispose();
        _midpoints.Dispose();
    }
}

using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning.Quantization;

/// <summary>
/// The moments of bitsandbytes' 8-bit block-wise AdamW (<c>optim_bits=8</c>, the <c>adamw_bnb_8bit</c> of HF's Trainer) over
/// the parameters of a flat buffer: every parameter of at least <see cref="MinQuantizedSize"/> values keeps m in the signed
/// and v in the unsigned dynamic map, uint8 per value plus one float32 absmax per block of 256 (blocks never span two
/// parameters); smaller ones keep float32 moments, as bitsandbytes' <c>min_8bit_size</c> does. A step dequantises, applies
/// torch's AdamW update in float32 (the parameter update uses the new float32 moments) and quantises the moments again.
/// </summary>
public sealed class BlockwiseAdamState : IDisposable
{
    public const int MinQuantizedSize = 4096;

    private sealed class Moments
    {
        public required long Offset { get; init; }
        public required long Count { get; init; }
        public required bool Decay { get; init; }
        public Tensor? M, V;                         // float32 moments of a small parameter
        public Tensor? MCodes, VCodes, MAbsmax, VAbsmax;
        public bool Quantized => MCodes is not null;
    }

    private readonly List<Moments> _segments;
    private readonly BlockwiseQuantizer _signed, _unsigned;

    /// <param name="segments">(offset, count, weight decay) of every parameter in the flat buffer</param>
    public BlockwiseAdamState(IReadOnlyList<(long Offset, long Count, bool Decay)> segments, Device device,
        int blockSize = BlockwiseQuantizer.DefaultBlockSize, int minQuantizedSize = MinQuantizedSize)
    {
        _signed = new BlockwiseQuantizer(DynamicQuantizationMap.Create(signed: true), blockSize, device);
        _unsigned = new BlockwiseQuantizer(DynamicQuantizationMap.Create(signed: false), blockSize, device);
        _segments = segments.Select(s =>
        {
            var m = new Moments { Offset = s.Offset, Count = s.Count, Decay = s.Decay };
            if (s.Count < minQuantizedSize)
            {
                m.M = zeros(s.Count, dtype: ScalarType.Float32, device: device);
                m.V = zeros(s.Count, dtype: ScalarType.Float32, device: device);
                return m;
            }
            var blocks = BlockwiseQuantizer.Blocks(s.Count, blockSize);
            // bitsandbytes starts from zero codes with zero absmax, i.e. all moments dequantise to 0.
            m.MCodes = zeros(s.Count, dtype: ScalarType.Byte, device: device);
            m.VCodes = zeros(s.Count, dtype: ScalarType.Byte, device: device);
            m.MAbsmax = zeros(blocks, dtype: ScalarType.Float32, device: device);
            m.VAbsmax = zeros(blocks, dtype: ScalarType.Float32, device: device);
            return m;
        }).ToList();
    }

    /// <summary>Bytes the moments take (uint8 codes, float32 absmax, float32 moments of small parameters).</summary>
    public long StateBytes => _segments.Sum(s => s.Quantized
        ? s.MCodes!.numel() + s.VCodes!.numel() + 4 * (s.MAbsmax!.numel() + s.VAbsmax!.numel())
        : 4 * (s.M!.numel() + s.V!.numel()));

    /// <summary>One AdamW step over the flat float32 parameters and (already clipped) gradients.</summary>
    public void Step(Tensor parameters, Tensor gradients, double lr, double weightDecay, double beta1, double beta2, double eps, long step) =>
        Step(parameters, (offset, count) => gradients.narrow(0, offset, count), lr, weightDecay, beta1, beta2, eps, step, long.MaxValue);

    /// <summary>
    /// One AdamW step, parameter by parameter and within a parameter in whole-block ranges of at most <paramref name="chunk"/>
    /// values (blocks are quantised independently, so the result does not depend on the chunk); <paramref name="gradient"/>
    /// gives the float32 (already unscaled and clipped) gradient of [offset, offset + count) of the flat buffer.
    /// </summary>
    public void Step(Tensor parameters, Func<long, long, Tensor> gradient, double lr, double weightDecay, double beta1, double beta2, double eps,
        long step, long chunk)
    {
        using var _ = no_grad();
        var bc1 = 1 - Math.Pow(beta1, step);
        var bc2 = 1 - Math.Pow(beta2, step);
        var blockSize = _signed.BlockSize;
        var span = Math.Max(blockSize, chunk / blockSize * blockSize);
        foreach (var s in _segments)
        {
            for (long start = 0; start < s.Count; start += span)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(span, s.Count - start);
                var p = parameters.narrow(0, s.Offset + start, count);
                var g = gradient(s.Offset + start, count);
                var (firstBlock, blocks) = (start / blockSize, BlockwiseQuantizer.Blocks(count, blockSize));
                var m = s.Quantized ? _signed.Dequantize(s.MCodes!.narrow(0, start, count), s.MAbsmax!.narrow(0, firstBlock, blocks)) : s.M!.narrow(0, start, count);
                var v = s.Quantized ? _unsigned.Dequantize(s.VCodes!.narrow(0, start, count), s.VAbsmax!.narrow(0, firstBlock, blocks)) : s.V!.narrow(0, start, count);
                m.mul_(beta1).add_(g, alpha: 1 - beta1);
                v.mul_(beta2).addcmul_(g, g, value: 1 - beta2);
                if (s.Decay && weightDecay != 0) p.mul_(1 - lr * weightDecay);
                var denom = (v.sqrt() / Math.Sqrt(bc2)).add_(eps);
                p.addcdiv_(m, denom, value: -lr / bc1);
                if (!s.Quantized) continue;
                var (mc, ma) = _signed.Quantize(m);
                var (vc, va) = _unsigned.Quantize(v);
                s.MCodes!.narrow(0, start, count).copy_(mc);
                s.MAbsmax!.narrow(0, firstBlock, blocks).copy_(ma);
                s.VCodes!.narrow(0, start, count).copy_(vc);
                s.VAbsmax!.narrow(0, firstBlock, blocks).copy_(va);
            }
        }
    }

    /// <summary>The moments of segment <paramref name="index"/> as float32 (dequantised where stored in 8 bits).</summary>
    public (Tensor M, Tensor V) Dequantized(int index)
    {
        var s = _segments[index];
        return s.Quantized
            ? (_signed.Dequantize(s.MCodes!, s.MAbsmax!), _unsigned.Dequantize(s.VCodes!, s.VAbsmax!))
            : (s.M!.clone(), s.V!.clone());
    }

    public bool IsQuantized(int index) => _segments[index].Quantized;

    /// <summary>Every state tensor under a stable name (segment index and part), for saving.</summary>
    public Dictionary<string, Tensor> StateTensors()
    {
        var d = new Dictionary<string, Tensor>();
        for (var i = 0; i < _segments.Count; i++)
        {
            var s = _segments[i];
            if (s.Quantized)
            {
                d[$"{i}.m_codes"] = s.MCodes!;
                d[$"{i}.v_codes"] = s.VCodes!;
                d[$"{i}.m_absmax"] = s.MAbsmax!;
                d[$"{i}.v_absmax"] = s.VAbsmax!;
            }
            else
            {
                d[$"{i}.m"] = s.M!;
                d[$"{i}.v"] = s.V!;
            }
        }
        return d;
    }

    public void Save(string path) => SafetensorsFile.Write(path, StateTensors());

    /// <summary>Reads a state saved by <see cref="Save"/> for the same parameters; a mismatching file is an error, not a partial load.</summary>
    public void Load(string path)
    {
        var read = SafetensorsFile.Read(path);
        try
        {
            var own = StateTensors();
            var missing = own.Keys.Except(read.Keys).Concat(read.Keys.Except(own.Keys)).ToList();
            if (missing.Count > 0) throw new InvalidDataException($"{path}: optimiser state does not match these parameters ({string.Join(", ", missing.Take(3))} …)");
            foreach (var (name, t) in own)
            {
                var r = read[name];
                if (r.dtype != t.dtype || !r.shape.SequenceEqual(t.shape))
                    throw new InvalidDataException($"{path}: '{name}' is {r.dtype}[{string.Join(",", r.shape)}], expected {t.dtype}[{string.Join(",", t.shape)}]");
            }
            using var _ = no_grad();
            foreach (var (name, t) in own) t.copy_(read[name]);
        }
        finally
        {
            foreach (var t in read.Values) t.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var t in _segments.SelectMany(s => new[] { s.M, s.V, s.MCodes, s.VCodes, s.MAbsmax, s.VAbsmax })) t?.Dispose();
        _signed.Dispose();
        _unsigned.Dispose();
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using ClassifSae.FineTuning.Quantization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning;

/// <summary>
/// AdamW with torch.optim.AdamW's update (amsgrad off) and clip_grad_norm_'s clipping, over ONE flat buffer per state:
/// every parameter and its gradient become views into contiguous [N] tensors (weight-decayed parameters first), so a step
/// is a handful of whole-model operations instead of ~10 small kernels per parameter tensor. On the CPU the clip, decay,
/// moment and parameter updates are one fused pass over p, g, m, v (read 4, write 3 floats per parameter), SIMD across
/// the intra-op threads; elsewhere (CUDA) the same update runs as whole-buffer tensor ops with no host sync.
/// Backward accumulates into the flat gradient in place (autograd adds into an existing .grad), so call
/// <see cref="ZeroGrad"/>, not Module.zero_grad, between steps.
/// Two options for training at scale (spec 04 §3.2): a float16/bfloat16 working copy (the model's parameters and gradients
/// live in a half-precision flat buffer the forward and backward use, the optimiser keeps float32 master weights and copies
/// them back after each step; see <see cref="UnscaleGradients"/> for loss scaling), and bitsandbytes' 8-bit block-wise
/// moments (<see cref="BlockwiseAdamState"/>) in place of the float32 m and v. With a half working copy there is no float32
/// gradient buffer: unscaling, the inf/NaN check, clipping and the update read the half gradients chunk by chunk
/// (<see cref="HalfGradientChunks"/>), so the persistent memory is masters, half copy, half gradients and moments.
/// </summary>
public sealed class FlatAdamW : IDisposable
{
    private readonly Tensor _params;                   // float32 master weights
    private readonly Tensor? _m, _v;
    private readonly Tensor _working, _grads;          // the model's parameters (_params unless a half working copy) and gradients, in its dtype
    private readonly HalfGradientChunks? _half;        // with a half working copy: its gradients, read chunk by chunk
    private double _inverseScale = 1.0;                // the half path's unscale factor of the current step
    private Tensor? _normSquared;                      // the half path's squared gradient norm, once UnscaleGradients has inspected the step
    private (double InverseScale, Tensor? Clip) _last = (1.0, null);   // what the last half step applied, for CopyOfGradients
    private readonly BlockwiseAdamState? _state8;
    private readonly long _decayed;
    private readonly List<(long Offset, int Index)> _layout = [];   // where parameter Index (constructor order) lives in the flat buffers
    private bool _gradsReady;
    private readonly double _beta1, _beta2, _eps, _weightDecay;
    private readonly bool _fusedCpu;
    private long _step;

    /// <param name="parameters">the parameters, each with whether weight decay applies to it</param>
    /// <param name="fusedCpuKernel">false forces the tensor-op path on the CPU too (tests compare both)</param>
    public FlatAdamW(IReadOnlyList<(Parameter Parameter, bool Decay)> parameters, double weightDecay,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, bool fusedCpuKernel = true)
        : this(parameters, weightDecay, new FlatAdamWOptions { Beta1 = beta1, Beta2 = beta2, Eps = eps, FusedCpuKernel = fusedCpuKernel }, null) { }

    /// <param name="parameters">the parameters (float32), each with whether weight decay applies to it</param>
    /// <param name="workingParameters">with a half working copy: the same parameters after the model was cast to
    /// <see cref="FlatAdamWOptions.WorkingDtype"/>, in the same order (their values are replaced by the float32 masters')</param>
    public FlatAdamW(IReadOnlyList<(Parameter Parameter, bool Decay)> parameters, double weightDecay, FlatAdamWOptions options,
        IReadOnlyList<Parameter>? workingParameters)
    {
        if (parameters.Count == 0) throw new ArgumentException("no parameters to optimise", nameof(parameters));
        var order = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].Decay).Concat(Enumerable.Range(0, parameters.Count).Where(i => !parameters[i].Decay)).ToList();
        var ordered = order.Select(i => parameters[i].Parameter).ToList();
        var first = ordered[0];
        if (ordered.Any(p => p.dtype != ScalarType.Float32 || p.device_type != first.device_type))
            throw new ArgumentException("FlatAdamW needs float32 parameters on one device");
        var halfCopy = options.WorkingDtype != ScalarType.Float32;
        if (halfCopy && (workingParameters is null || workingParameters.Count != parameters.Count))
            throw new ArgumentException($"a {options.WorkingDtype} working copy needs the model's cast parameters, one per parameter", nameof(workingParameters));
        var total = ordered.Sum(p => p.numel());
        _decayed = parameters.Where(p => p.Decay).Sum(p => p.Parameter.numel());
        _params = empty(total, dtype: ScalarType.Float32, device: first.device);
        _working = halfCopy ? empty(total, dtype: options.WorkingDtype, device: first.device) : _params;
        _grads = zeros(total, dtype: options.WorkingDtype, device: first.device);
        if (halfCopy) _half = new HalfGradientChunks(_grads, options.ChunkElements);
        var segments = new List<(long, long, bool)>();
        var decayedCount = parameters.Count(x => x.Decay);
        using (no_grad())
        {
            long offset = 0;
            for (var k = 0; k < ordered.Count; k++)
            {
                var p = ordered[k];
                var n = p.numel();
                _params.narrow(0, offset, n).view(p.shape).copy_(p);
                var modelParameter = halfCopy ? workingParameters![order[k]] : p;
                if (!modelParameter.shape.SequenceEqual(p.shape) || modelParameter.dtype != options.WorkingDtype)
                    throw new ArgumentException($"working parameter {k} is {modelParameter.dtype}[{string.Join(",", modelParameter.shape)}], expected {options.WorkingDtype}[{string.Join(",", p.shape)}]");
                var data = _working.narrow(0, offset, n).view(p.shape);
                if (halfCopy) data.copy_(p);                                  // rounded from the float32 master, not re-read
                modelParameter.set_(data);                                    // the parameter now lives in the flat buffer
                modelParameter.grad = _grads.narrow(0, offset, n).view(p.shape);       // and backward adds into the flat gradient
                segments.Add((offset, n, k < decayedCount));
                _layout.Add((offset, order[k]));
                offset += n;
            }
        }
        (_beta1, _beta2, _eps, _weightDecay) = (options.Beta1, options.Beta2, options.Eps, weightDecay);
        if (options.EightBitState) _state8 = new BlockwiseAdamState(segments, first.device);
        else
        {
            _m = zeros(total, dtype: ScalarType.Float32, device: first.device);
            _v = zeros(total, dtype: ScalarType.Float32, device: first.device);
        }
        _fusedCpu = options.FusedCpuKernel && first.device_type == DeviceType.CPU && !options.EightBitState && !halfCopy;
    }

    /// <summary>HF Trainer's grouping (<see cref="WeightDecayGroups"/>): weight decay on weights, not on biases or norm layers.</summary>
    public static FlatAdamW ForModel(nn.Module model, double weightDecay, bool fusedCpuKernel = true) =>
        new(Grouped(model), weightDecay, fusedCpuKernel: fusedCpuKernel);

    /// <summary>
    /// HF's grouping with <paramref name="options"/>; with a half working dtype the model is cast to it here (after its float32
    /// values became the master weights), so its forward and backward run in that dtype.
    /// </summary>
    public static FlatAdamW ForModel(nn.Module model, double weightDecay, FlatAdamWOptions options)
    {
        var named = Grouped(model);
        if (options.WorkingDtype == ScalarType.Float32) return new FlatAdamW(named, weightDecay, options, null);
        // Module.to(dtype) converts the parameters in place, so the float32 values are copied out first.
        var masters = named.Select(p => (new Parameter(p.Parameter.detach().clone(), requires_grad: false), p.Decay)).ToList();
        model.to(options.WorkingDtype);
        var working = model.named_parameters().Select(np => np.parameter).ToList();
        return new FlatAdamW(masters, weightDecay, options, working);
    }

    private static List<(Parameter Parameter, bool Decay)> Grouped(nn.Module model) =>
        WeightDecayGroups.Split(model).Select(p => (p.Parameter, p.Decay)).ToList();

    public long ParameterCount => _params.numel();

    public bool EightBitState => _state8 is not null;

    /// <summary>Bytes of optimiser state (m and v, or their 8-bit codes and block absmax).</summary>
    public long StateBytes => _state8?.StateBytes ?? 8 * _params.numel();

    /// <summary>
    /// Bytes of every buffer the optimiser keeps between steps, counted from the tensors themselves: float32 masters, the
    /// model's parameters and gradients (the same buffers as the masters and their gradients in float32 training, a half
    /// copy and half gradients otherwise) and the moments. Transient chunks of a step are not included.
    /// </summary>
    public long PersistentBytes
    {
        get
        {
            var held = new List<Tensor> { _params, _grads };
            if (!ReferenceEquals(_working, _params)) held.Add(_working);
            if (_m is not null) held.Add(_m);
            if (_v is not null) held.Add(_v);
            return held.Sum(t => t.numel() * t.ElementSize) + (_state8?.StateBytes ?? 0);
        }
    }

    /// <summary>The 8-bit moments (null with float32 moments).</summary>
    public BlockwiseAdamState? QuantizedState => _state8;

    public void ZeroGrad()
    {
        _grads.zero_();
        _gradsReady = false;
        _normSquared?.Dispose();
        _normSquared = null;
    }

    /// <summary>
    /// Loss scaling's unscale: the gradients the next <see cref="Step"/> uses are the model's gradients times
    /// <paramref name="inverseScale"/> (float32 training: in place; a half working copy: applied chunk by chunk in the step).
    /// Returns whether every one is finite (false: skip this step).
    /// </summary>
    public bool UnscaleGradients(double inverseScale)
    {
        using var _ = no_grad();
        _gradsReady = true;
        if (_half is not null)
        {
            _normSquared?.Dispose();
            _inverseScale = inverseScale;
            (var finiteHalf, _normSquared) = _half.Inspect(inverseScale);
            return finiteHalf;
        }
        if (inverseScale != 1.0) _grads.mul_(inverseScale);
        using var finite = isfinite(_grads).all();
        return finite.item<bool>();
    }

    /// <summary>
    /// After training on a half working copy: the float32 master weights into <paramref name="parameters"/> (the model's
    /// parameters once it is cast back to float32, in constructor order), so it is saved and evaluated at full precision.
    /// </summary>
    public void CopyMastersInto(IReadOnlyList<Parameter> parameters)
    {
        if (parameters.Count != _layout.Count) throw new ArgumentException($"{parameters.Count} parameters for {_layout.Count} masters", nameof(parameters));
        using var _ = no_grad();
        foreach (var (offset, index) in _layout)
        {
            var p = parameters[index];
            p.copy_(_params.narrow(0, offset, p.numel()).view(p.shape));
        }
    }

    /// <summary>
    /// A float32 copy of the gradients the last step used (unscaled, clipped); the caller disposes it. With a half working
    /// copy it is rebuilt from the half gradients (a diagnostic: it allocates the full-size buffer the step avoids).
    /// </summary>
    public Tensor CopyOfGradients()
    {
        using var _ = no_grad();
        return _half is null ? _grads.clone() : _half.Float32(0, _grads.numel(), _last.InverseScale, _last.Clip);
    }

    /// <summary>The float32 master weights (the model's own parameters unless it runs on a half working copy).</summary>
    public Tensor MasterWeights => _params;

    /// <summary>
    /// One step: the gradient is scaled by min(1, maxNorm / (‖g‖₂ + 1e-6)) as clip_grad_norm_ does (maxNorm ≤ 0: no
    /// clipping), then the AdamW update with learning rate <paramref name="lr"/>. Returns the gradient norm before clipping
    /// as a 0-dim tensor (reading it is the caller's choice: on a GPU that is a host sync).
    /// </summary>
    public Tensor Step(double lr, double maxNorm)
    {
        using var _ = no_grad();
        _step++;
        var bc1 = 1 - Math.Pow(_beta1, _step);
        var bc2 = 1 - Math.Pow(_beta2, _step);
        if (_half is not null) return HalfStep(_half, lr, maxNorm, bc1, bc2);
        _gradsReady = false;
        var norm = linalg.vector_norm(_grads);
        if (_fusedCpu)
        {
            var clip = maxNorm > 0 ? Math.Min(1.0, maxNorm / (norm.item<float>() + 1e-6)) : 1.0;
            FusedCpuStep((float)clip, lr, bc1, bc2);
        }
        else
        {
            if (maxNorm > 0) _grads.mul_((maxNorm / (norm + 1e-6)).clamp_max(1.0));
            if (_state8 is not null) _state8.Step(_params, _grads, lr, _weightDecay, _beta1, _beta2, _eps, _step);
            else TensorStep(lr, bc1, bc2);
        }
        return norm;
    }

    /// <summary>
    /// The step on a half working copy, chunk by chunk: each chunk of half gradients becomes float32, is unscaled and clipped,
    /// updates its masters and moments, and is dropped; then the working copy is refreshed from the masters.
    /// </summary>
    private Tensor HalfStep(HalfGradientChunks half, double lr, double maxNorm, double bc1, double bc2)
    {
        var inverseScale = _gradsReady ? _inverseScale : 1.0;
        var normSquared = _gradsReady && _normSquared is not null ? _normSquared : half.Inspect(1.0).NormSquared;
        (_gradsReady, _normSquared, _inverseScale) = (false, null, 1.0);
        var norm = normSquared.sqrt();
        normSquared.Dispose();
        var clip = maxNorm > 0 ? (maxNorm / (norm + 1e-6)).clamp_max(1.0) : null;
        _last.Clip?.Dispose();
        _last = (inverseScale, clip);
        if (_state8 is not null)
            _state8.Step(_params, (offset, count) => half.Float32(offset, count, inverseScale, clip), lr, _weightDecay, _beta1, _beta2, _eps, _step, half.Chunk);
        else
        {
            foreach (var (offset, count, decay) in half.Ranges(0, _decayed).Select(r => (r.Offset, r.Count, true))
                         .Concat(half.Ranges(_decayed, _params.numel()).Select(r => (r.Offset, r.Count, false))))
            {
                using var scope = NewDisposeScope();
                TensorStep(offset, count, decay, half.Float32(offset, count, inverseScale, clip), lr, bc1, bc2);
            }
        }
        _working.copy_(_params);   // converts in place: no float32 temporary of the model's size
        return norm;
    }

    private void TensorStep(double lr, double bc1, double bc2)
    {
        if (_decayed > 0) TensorStep(0, _decayed, true, _grads.narrow(0, 0, _decayed), lr, bc1, bc2);
        if (_decayed < _params.numel()) TensorStep(_decayed, _params.numel() - _decayed, false, _grads.narrow(0, _decayed, _params.numel() - _decayed), lr, bc1, bc2);
    }

    /// <summary>torch.optim.AdamW's update of [offset, offset + count) with the float32 gradient <paramref name="g"/> of that range.</summary>
    private void TensorStep(long offset, long count, bool decay, Tensor g, double lr, double bc1, double bc2)
    {
        using var p = _params.narrow(0, offset, count);
        using var m = _m!.narrow(0, offset, count);
        using var v = _v!.narrow(0, offset, count);
        if (decay && _weightDecay != 0) p.mul_(1 - lr * _weightDecay);
        m.mul_(_beta1).add_(g, alpha: 1 - _beta1);
        v.mul_(_beta2).addcmul_(g, g, value: 1 - _beta2);
        using var denom = (v.sqrt() / Math.Sqrt(bc2)).add_(_eps);
        p.addcdiv_(m, denom, value: -lr / bc1);
    }

    /// <summary>The update element by element, in the order and float32 precision of the tensor path.</summary>
    private unsafe void FusedCpuStep(float clip, double lr, double bc1, double bc2)
    {
        var p = (float*)Pointer(_params);
        var g = (float*)Pointer(_grads);
        var m = (float*)Pointer(_m!);
        var v = (float*)Pointer(_v!);
        var n = _params.numel();
        var k = new StepConstants(clip, (float)(1 - lr * _weightDecay), (float)_beta1, (float)(1 - _beta1), (float)_beta2,
            (float)(1 - _beta2), (float)Math.Sqrt(bc2), (float)_eps, (float)(-lr / bc1));
        var decayed = _weightDecay != 0 ? _decayed : 0;
        // Chunks aligned to the SIMD width; each thread updates its own ranges, so no two threads touch one element.
        const long chunk = 1 << 16;
        var chunks = (n + chunk - 1) / chunk;
        var (pi, gi, mi, vi) = ((nint)p, (nint)g, (nint)m, (nint)v);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) }, c =>
        {
            var start = c * chunk;
            var end = Math.Min(n, start + chunk);
            Update((float*)pi, (float*)gi, (float*)mi, (float*)vi, start, Math.Min(end, Math.Max(start, decayed)), k, decay: true);
            Update((float*)pi, (float*)gi, (float*)mi, (float*)vi, Math.Max(start, Math.Min(end, decayed)), end, k, decay: false);
        });
    }

    private readonly record struct StepConstants(float Clip, float DecayFactor, float Beta1, float OneMinusBeta1, float Beta2,
        float OneMinusBeta2, float Bc2Sqrt, float Eps, float NegStepSize);

    private static unsafe void Update(float* p, float* g, float* m, float* v, long start, long end, StepConstants k, bool decay)
    {
        var i = start;
        var width = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var (clip, df, b1, ob1, b2, ob2, bc2s, eps, step) = (new Vector<float>(k.Clip), new Vector<float>(k.DecayFactor),
                new Vector<float>(k.Beta1), new Vector<float>(k.OneMinusBeta1), new Vector<float>(k.Beta2), new Vector<float>(k.OneMinusBeta2),
                new Vector<float>(k.Bc2Sqrt), new Vector<float>(k.Eps), new Vector<float>(k.NegStepSize));
            for (; i + width <= end; i += width)
            {
                var gv = Vector.Load(g + i) * clip;
                var pv = Vector.Load(p + i);
                if (decay) pv *= df;
                var mv = Vector.Load(m + i) * b1 + gv * ob1;
                var vv = Vector.Load(v + i) * b2 + gv * gv * ob2;
                var denom = Vector.SquareRoot(vv) / bc2s + eps;
                (pv + step * (mv / denom)).Store(p + i);
                mv.Store(m + i);
                vv.Store(v + i);
            }
        }
        for (; i < end; i++)
        {
            var gs = g[i] * k.Clip;
            var ps = decay ? p[i] * k.DecayFactor : p[i];
            var ms = m[i] * k.Beta1 + gs * k.OneMinusBeta1;
            var vs = v[i] * k.Beta2 + gs * gs * k.OneMinusBeta2;
            p[i] = ps + k.NegStepSize * (ms / (MathF.Sqrt(vs) / k.Bc2Sqrt + k.Eps));
            m[i] = ms;
            v[i] = vs;
        }
    }

    /// <summary>
    /// The address of a contiguous CPU tensor's first element: <c>bytes</c> is a span over the tensor's own memory, taken on a
    /// one-element view so buffers past the 2 GiB a span can describe still work.
    /// </summary>
    private static unsafe nint Pointer(Tensor t)
    {
        using var head = t.narrow(0, 0, 1);
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(head.bytes));
    }

    public void Dispose()
    {
        _params.Dispose();
        _grads.Dispose();
        _m?.Dispose();
        _v?.Dispose();
        _state8?.Dispose();
        _normSquared?.Dispose();
        _last.Clip?.Dispose();
        if (!ReferenceEquals(_working, _params)) _working.Dispose();
    }
}

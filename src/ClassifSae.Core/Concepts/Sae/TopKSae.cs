using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// TopK sparse autoencoder with the ClassifSAE classifier head (spec 01 §3.1–§3.2).
/// The forward pass returns the reconstruction x̂ at the scale of the input.
/// </summary>
public sealed class TopKSae : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "W_enc")] private readonly Parameter _wEnc;
    [ComponentName(Name = "b_enc")] private readonly Parameter _bEnc;
    [ComponentName(Name = "W_dec")] private readonly Parameter _wDec;
    [ComponentName(Name = "b_dec")] private readonly Parameter _bDec;
    [ComponentName(Name = "classifier_weight")] private readonly Parameter _classifierWeight;
    [ComponentName(Name = "classifier_bias")] private readonly Parameter _classifierBias;

    public SaeShape Shape { get; }

    /// <summary>Builds and initialises the SAE from its own generator, so init never depends on the global torch RNG.</summary>
    public TopKSae(SaeShape shape, long seed) : base("TopKSae")
    {
        shape.Validate();
        Shape = shape;
        using var gen = new Generator((ulong)seed);
        using (no_grad())
        {
            // Kaiming-uniform (a=0, fan_in=d_in): bound √(6/d_in). W_enc copies the transpose BEFORE the rows
            // are normalised (init_encoder_as_decoder_transpose), so its columns start with norm ≈ √2.
            var wDec = KaimingUniform([shape.DSae, shape.DIn], shape.DIn, gen);
            _wEnc = new Parameter(wDec.t().contiguous().clone());
            wDec.div_(RowNorms(wDec));
            _wDec = new Parameter(wDec);
            _bEnc = new Parameter(zeros(shape.DSae));
            _bDec = new Parameter(zeros(shape.DIn));
            _classifierWeight = new Parameter(KaimingUniform([shape.NbClasses, shape.NConcepts], shape.NConcepts, gen));
            _classifierBias = new Parameter(zeros(shape.NbClasses));
        }
        RegisterComponents();
    }

    public Parameter WEnc => _wEnc;
    public Parameter BEnc => _bEnc;
    public Parameter WDec => _wDec;
    public Parameter BDec => _bDec;
    public Parameter ClassifierWeight => _classifierWeight;
    public Parameter ClassifierBias => _classifierBias;

    /// <summary>The six tensors by their SAELens / ClassifSAE names.</summary>
    public IReadOnlyDictionary<string, Parameter> NamedTensors => new Dictionary<string, Parameter>
    {
        ["W_enc"] = _wEnc, ["b_enc"] = _bEnc, ["W_dec"] = _wDec, ["b_dec"] = _bDec,
        ["classifier_weight"] = _classifierWeight, ["classifier_bias"] = _classifierBias,
    };

    /// <summary>c = √d_in / ‖x‖₂ per row, shape [B,1] ("constant_norm_rescale").</summary>
    public Tensor RescaleCoefficient(Tensor x) => Math.Sqrt(Shape.DIn) / RowNorms(x);

    /// <summary>h = (c·x)·W_enc + b_enc, z = ReLU(TopK_k(h)). b_dec is not subtracted (apply_b_dec_to_input=false).</summary>
    public SaeEncoding Encode(Tensor x) => EncodeWithCodes(x).Encoding;

    /// <summary><see cref="Encode"/> that also returns the TopK codes, for the sparse decoder.</summary>
    public (SaeEncoding Encoding, TopKCodes Codes) EncodeWithCodes(Tensor x)
    {
        var scale = RescaleCoefficient(x);
        var hiddenPre = PreActivation(x, scale);
        var (values, indices) = hiddenPre.topk(Shape.K, dim: -1);
        var codes = new TopKCodes(indices, nn.functional.relu(values));
        var z = zeros_like(hiddenPre).scatter(-1, indices, codes.Values);
        return (new SaeEncoding(hiddenPre, z, scale), codes);
    }

    /// <summary>h = (c·x)·W_enc + b_enc for a given rescale c [B,1].</summary>
    /// <remarks>For a batch [B, d_in] the bias is added inside the matmul (addmm): one pass over [B, d_sae] fewer, each way.</remarks>
    public Tensor PreActivation(Tensor x, Tensor scale) =>
        x.dim() == 2 ? addmm(_bEnc, x * scale, _wEnc, 1, 1) : (x * scale).matmul(_wEnc) + _bEnc;

    /// <summary>x̂ = (z·W_dec + b_dec) / c, back at the scale of the encoded input.</summary>
    public Tensor Decode(Tensor z, Tensor scale) => (z.matmul(_wDec) + _bDec) / scale;

    /// <summary>
    /// Same x̂ as <see cref="Decode"/> from the TopK codes: Σ_j v_j·W_dec[i_j] reads k rows per sample (2·B·k·d FLOP instead of
    /// 2·B·d_sae·d), and its backward adds into k rows of W_dec's gradient. Equal to the dense decode up to float rounding.
    /// </summary>
    public Tensor DecodeSparse(TopKCodes codes, Tensor scale)
    {
        var (b, k) = (codes.Indices.shape[0], codes.Indices.shape[1]);
        var rows = _wDec.index_select(0, codes.Indices.reshape(-1)).view(b, k, Shape.DIn);   // [B,k,d]
        var mixed = codes.Values.unsqueeze(1).bmm(rows).squeeze(1);                          // [B,d]
        return (mixed + _bDec) / scale;
    }

    /// <summary>h[:, D] = (c·x)·W_enc[:, D] + b_enc[D] for the feature indices D only (the ghost-grads clean encode).</summary>
    public Tensor PreActivationColumns(Tensor x, Tensor scale, Tensor columns) =>
        (x * scale).matmul(_wEnc.index_select(1, columns)) + _bEnc.index_select(0, columns);

    /// <summary>Decodes keeping only the features where <paramref name="keep"/> [d_sae] is true (b_dec is still added).</summary>
    public Tensor DecodeMasked(Tensor z, Tensor scale, Tensor keep)
    {
        if (keep.shape.Length != 1 || keep.shape[0] != Shape.DSae)
            throw new ArgumentException($"feature mask must have shape [{Shape.DSae}], got [{string.Join(",", keep.shape)}]");
        return Decode(z * keep.to(z.dtype), scale);
    }

    /// <summary>z_class = the first n_concepts hidden units.</summary>
    public Tensor ConceptActivations(Tensor z) => z.narrow(1, 0, Shape.NConcepts);

    /// <summary>logits = z_class·classifier_weightᵀ + classifier_bias, shape [B, nb_classes].</summary>
    public Tensor ClassifierLogits(Tensor z) =>
        ConceptActivations(z).matmul(_classifierWeight.t()) + _classifierBias;

    public override Tensor forward(Tensor x)
    {
        var enc = Encode(x);
        return Decode(enc.Z, enc.Scale);
    }

    /// <summary>Scales every W_dec row to unit L2 norm (done before each step and before saving).</summary>
    public void NormaliseDecoderRows()
    {
        using var _ = no_grad();
        using var norms = RowNorms(_wDec);
        _wDec.div_(norms);
    }

    /// <summary>Keeps the k largest entries of each row of h, ReLUs them and zeroes the rest.</summary>
    public static Tensor TopKRelu(Tensor hiddenPre, int k)
    {
        var (values, indices) = hiddenPre.topk(k, dim: -1);
        return zeros_like(hiddenPre).scatter(-1, indices, nn.functional.relu(values));
    }

    /// <summary>‖row‖₂ [.., 1], one fused reduction (pow, sum and sqrt as separate kernels cost three passes).</summary>
    private static Tensor RowNorms(Tensor m) => linalg.vector_norm(m, 2, [-1], keepdim: true);

    private static Tensor KaimingUniform(long[] shape, int fanIn, Generator gen)
    {
        var bound = Math.Sqrt(6.0 / fanIn);
        return rand(shape, generator: gen).mul_(2 * bound).sub_(bound);
    }
}

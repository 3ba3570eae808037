using ClassifSae.Backbones.Decoders;
using ClassifSae.Backbones.GradientFusion;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>
/// GPT-NeoX causal LM (Pythia's architecture) with explicit access to the residual stream, so the
/// decision-token state entering a block can be read (caching) or replaced (the evaluation "tail").
/// State-dict keys equal the Hugging Face ones (<c>gpt_neox.layers.N.attention.query_key_value.weight</c>, <c>embed_out.weight</c>).
/// </summary>
public sealed partial class GptNeoXForCausalLM : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly GptNeoXModel gpt_neox;
    private readonly Linear embed_out;
#pragma warning restore IDE1006
    // Not a Tensor field, so not registered as a buffer: it stays out of the state dict and the checkpoints.
    private readonly RotaryTable _rotary;

    public GptNeoXConfig Config { get; }

    public GptNeoXForCausalLM(GptNeoXConfig cfg) : base("GPTNeoXForCausalLM")
    {
        cfg.Validate("model config");
        Config = cfg;
        gpt_neox = new GptNeoXModel(cfg);
        embed_out = nn.Linear(cfg.HiddenSize, cfg.VocabSize, hasBias: false);
        RegisterComponents();
        _rotary = new RotaryTable(cfg.RotaryDims, cfg.RotaryBase, cfg.MaxPositions);
        if (cfg.TieWordEmbeddings) embed_out.weight = gpt_neox.embed_in.weight!;
    }

    /// <summary>Recompute each block's activations in backward instead of storing them (training only, as in transformers).</summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>Block <paramref name="layer"/> over every position.</summary>
    private Tensor RunLayer(int layer, Tensor h, Tensor cos, Tensor sin, Tensor? mask) =>
        Checkpointed(layer, (x, c) => gpt_neox.layers[layer].Forward(x, c.Cos, c.Sin, c.Mask), h, cos, sin, mask);

    /// <summary>
    /// <paramref name="block"/> (a function of block <paramref name="layer"/>), checkpointed (<see cref="CheckpointedBlock"/>)
    /// when training with <see cref="GradientCheckpointing"/>. The context only carries the shared tensors; the caller's scope owns them.
    /// </summary>
    private Tensor Checkpointed(int layer, Func<Tensor, DecoderContext, Tensor> block, Tensor h, Tensor cos, Tensor sin, Tensor? mask)
    {
        var context = new DecoderContext(cos, sin, mask);
        return GradientCheckpointing && training && is_grad_enabled()
            ? CheckpointedBlock.Run(block, h, context, gpt_neox.layers[layer].parameters().ToList())
            : block(h, context);
    }

    /// <summary>HF's initialisation: N(0, 0.02) for linear and embedding weights, zero biases, unit LayerNorm.</summary>
    public void InitializeWeights(Generator generator, double std = 0.02)
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else if (name.Contains("layernorm", StringComparison.Ordinal) || name.Contains("layer_norm", StringComparison.Ordinal)) p.fill_(1.0);
            else p.normal_(0, std, generator);
        }
    }

    /// <summary>Vocabulary logits for every position: [B, T, V].</summary>
    public Tensor Logits(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var h = Residual(batch, Config.NumLayers);
        return Unembed(h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The residual stream entering block <paramref name="untilLayer"/> for every position, [B, T, D]
    /// (HF <c>hidden_states[untilLayer]</c>; <c>untilLayer = NumLayers</c> gives the last block's output before ln_f).
    /// Blocks from <paramref name="untilLayer"/> on are not run.
    /// </summary>
    public Tensor Residual(TokenBatch batch, int untilLayer)
    {
        if (untilLayer < 0 || untilLayer > Config.NumLayers)
            throw new ArgumentOutOfRangeException(nameof(untilLayer), $"layer {untilLayer} is outside 0..{Config.NumLayers}");
        using var scope = NewDisposeScope();
        var (cos, sin) = _rotary.Angles(batch.Positions);
        var mask = batch.AttentionMask is null ? null : AttentionMask(batch.AttentionMask);
        var h = Embed(batch.InputIds);
        for (var i = 0; i < untilLayer; i++) h = RunLayer(i, h, cos, sin, mask);
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One full forward that returns, at column <paramref name="position"/> (default T−2, the decision token),
    /// the residual entering block <paramref name="hookLayer"/> [B, D] and the vocabulary logits [B, V].
    /// </summary>
    public (Tensor Hidden, Tensor Logits) Decision(TokenBatch batch, int hookLayer, int position = -2)
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = _rotary.Angles(batch.Positions);
        var mask = batch.AttentionMask is null ? null : AttentionMask(batch.AttentionMask);
        var h = Embed(batch.InputIds);
        var col = position < 0 ? h.size(1) + position : position;
        Tensor? hidden = null;
        Tensor? output = null;
        for (var i = 0; i < Config.NumLayers; i++)
        {
            if (i == hookLayer) hidden = h[.., col, ..].clone();
            // Only the decision column leaves the last block, so it runs there alone (keys and values still see every position).
            var layer = i;
            if (i == Config.NumLayers - 1) output = Checkpointed(i, (x, c) => gpt_neox.layers[layer].ForwardColumn(x, col, c.Cos, c.Sin, c.Mask), h, cos, sin, mask);
            else h = RunLayer(i, h, cos, sin, mask);
        }
        output ??= h[.., col, ..];
        hidden ??= output.clone();
        var logits = Unembed(output);
        return (hidden.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The evaluation "tail" (spec 02 §1.3): blocks <paramref name="fromLayer"/>… on a length-1 sequence that
    /// holds only <paramref name="hidden"/> [B, D] at position 0, then ln_f and the unembedding: [B, V], or
    /// [B, tokenIds.Length] with only the logits of <paramref name="tokenIds"/> (same values, in that order).
    /// </summary>
    public Tensor Tail(Tensor hidden, int fromLayer, Tensor? tokenIds = null)
    {
        using var scope = NewDisposeScope();
        var h = hidden.unsqueeze(1);
        var positions = zeros(hidden.size(0), 1, dtype: ScalarType.Int64, device: hidden.device);
        var (cos, sin) = _rotary.Angles(positions);
        for (var i = fromLayer; i < Config.NumLayers; i++) h = RunLayer(i, h, cos, sin, null);
        var normed = gpt_neox.final_layer_norm.forward(h.squeeze(1));
        // Only the label tokens' logits are needed downstream: unembedding 4 rows instead of the whole vocabulary is
        // ~90 % of a Pythia-70m tail's FLOPs saved, in every ablation pass.
        var logits = tokenIds is null ? embed_out.forward(normed) : nn.functional.linear(normed, embed_out.weight!.index_select(0, tokenIds));
        return logits.MoveToOuterDisposeScope();
    }

    private Tensor Unembed(Tensor h)
    {
        var normed = gpt_neox.final_layer_norm.forward(h);
        return GradientAccumulationFusion ? AccumulatingLinear.Apply(normed, embed_out.weight!) : embed_out.forward(normed);
    }

    private Tensor Embed(Tensor ids) =>
        GradientAccumulationFusion ? AccumulatingEmbedding.Lookup(ids, gpt_neox.embed_in.weight!) : gpt_neox.embed_in.forward(ids);

    /// <summary>
    /// Whether the embedding and unembedding add their weight gradients straight into existing gradient buffers
    /// (<see cref="AccumulatingEmbedding"/>, <see cref="AccumulatingLinear"/>): the same numbers up to float rounding,
    /// without two 103 MB temporaries per fine-tuning step at Pythia's vocabulary. Off: the plain modules.
    /// </summary>
    public bool GradientAccumulationFusion { get; set; } = true;

    /// <summary>Boolean [B, 1, T, T]: causal, keys restricted to real tokens; the diagonal is always allowed so pad rows stay finite.</summary>
    private static Tensor AttentionMask(Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var t = attentionMask.size(1);
        var causal = ones(t, t, dtype: ScalarType.Bool, device: attentionMask.device).tril();
        var keys = attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1);          // [B,1,1,T]
        var eye = torch.eye(t, dtype: ScalarType.Bool, device: attentionMask.device);
        var mask = (causal & keys) | eye;
        return mask.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _rotary.Dispose();
        base.Dispose(disposing);
    }
}

using ClassifSae.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Decoders;

/// <summary>
/// A decoder-only causal LM as a prompt classifier (spec 04 §2.1), shared by the Llama-shaped families and GPT-J: the
/// prompt is the family's BOS (if it adds one) + the template with the true label's digit appended, batches are
/// left-padded with pad-aware positions (cumsum(mask) − 1, as TransformerLens and transformers' generate() number them),
/// the decision token is the one before the label (column T−2), and a class is scored by its label token's logit.
/// A family supplies the embedding, its blocks, the final norm, the unembedding and the per-forward rotary/mask context.
/// </summary>
public abstract class CausalDecoder : nn.Module, IClassifierBackbone, ICausalLanguageModel, ISoftPromptable, IGradientCheckpointing
{
    protected CausalDecoder(string name) : base(name) { }

    public abstract BackboneShape Shape { get; }

    protected int NumLayers => Shape.NumLayers;

    /// <summary>The id put in front of every prompt (Llama's <c>&lt;|begin_of_text|&gt;</c>, Mistral's <c>&lt;s&gt;</c>), or null.</summary>
    public abstract int? BosTokenId { get; }

    public nn.Module Module => this;

    protected abstract Tensor Embed(Tensor inputIds);

    /// <summary>Rotary angles of <paramref name="positions"/> [B, T] and the attention mask for one forward.</summary>
    protected abstract DecoderContext Context(Tensor positions, Tensor? attentionMask);

    protected abstract Tensor Block(int layer, Tensor h, DecoderContext context);

    /// <summary>The parameters of block <paramref name="layer"/> (what a checkpointed block's backward differentiates).</summary>
    protected abstract IReadOnlyList<Tensor> BlockParameters(int layer);

    /// <summary>Recompute each block's activations in backward instead of storing them (training only, as in transformers).</summary>
    public bool GradientCheckpointing { get; set; }

    private Tensor RunBlock(int layer, Tensor h, DecoderContext context) =>
        GradientCheckpointing && training && is_grad_enabled()
            ? CheckpointedBlock.Run((x, c) => Block(layer, x, c), h, context, BlockParameters(layer))
            : Block(layer, h, context);

    protected abstract Tensor FinalNorm(Tensor h);

    /// <summary>Vocabulary logits of final-normed states, or only the rows <paramref name="rows"/> (same values, that order).</summary>
    protected abstract Tensor Unembed(Tensor normed, Tensor? rows = null);

    public abstract void Save(string folder);

    public int[] EncodePrompt(ITextTokenizer tokenizer, PromptTemplate template, string text, int label)
    {
        var ids = tokenizer.Encode(template.Full(text, label));
        return BosTokenId is { } bos ? [bos, .. ids] : ids;
    }

    public int[] LabelOutputs(ITextTokenizer tokenizer, int classes) =>
        Enumerable.Range(0, classes).Select(tokenizer.LabelTokenId).ToArray();

    public TokenBatch Batch(IReadOnlyList<int[]> prompts, int padId, int? maxLength, Device device) =>
        TokenBatch.LeftPadded(prompts, padId, device, maxLength);

    public TokenBatch Batch(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var mask = attentionMask.to(ScalarType.Int64);
        var positions = (mask.cumsum(1) - 1).clamp_min(0);
        var padded = mask.eq(0).any().item<bool>();
        return new TokenBatch(inputIds.to(ScalarType.Int64).MoveToOuterDisposeScope(),
            padded ? mask.MoveToOuterDisposeScope() : null, positions.MoveToOuterDisposeScope());
    }

    /// <summary>The residual stream entering block <paramref name="untilLayer"/> at every position [B, T, D]; later blocks are not run.</summary>
    public Tensor Residual(TokenBatch batch, int untilLayer)
    {
        CheckLayer(untilLayer);
        using var scope = NewDisposeScope();
        var h = Embed(batch.InputIds);
        using var context = ContextFor(h, batch.Positions, batch.AttentionMask);
        for (var i = 0; i < untilLayer; i++) h = RunBlock(i, h, context);
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>Vocabulary logits at every position [B, T, V].</summary>
    public Tensor Logits(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        return Unembed(FinalNorm(Residual(batch, NumLayers))).MoveToOuterDisposeScope();
    }

    (Tensor Hidden, Tensor Logits) IClassifierBackbone.Decision(TokenBatch batch, int hookLayer) => Decision(batch, hookLayer);

    /// <summary>At column <paramref name="position"/> (T−2: the decision token) the state entering block <paramref name="hookLayer"/> [B, D] and the logits [B, V].</summary>
    public (Tensor Hidden, Tensor Logits) Decision(TokenBatch batch, int hookLayer, int position = -2)
    {
        using var scope = NewDisposeScope();
        var (hidden, logits) = DecisionFrom(Embed(batch.InputIds), batch.Positions, batch.AttentionMask, hookLayer, position);
        return (hidden.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <see cref="Decision(TokenBatch, int, int)"/> with <paramref name="softPrompt"/> [P, D] put in front of every row's token
    /// embeddings (spec 04 §3.3): mask [1]*P ⧺ mask and mask-aware positions, so the prompt takes positions 0…P−1 and the
    /// first real token P, wherever the row's padding sits (TransformerLens' caching convention; transformers' prompt training
    /// numbered pads too).
    /// </summary>
    public (Tensor Hidden, Tensor Logits) Decision(TokenBatch batch, Tensor softPrompt, int hookLayer, int position = -2)
    {
        using var scope = NewDisposeScope();
        var (b, p) = (batch.InputIds.size(0), softPrompt.size(0));
        var embedded = Embed(batch.InputIds);
        var h = cat([softPrompt.to(embedded.dtype).unsqueeze(0).expand(b, -1, -1), embedded], 1);
        var tokens = batch.AttentionMask?.to(ScalarType.Int64) ?? ones_like(batch.InputIds, dtype: ScalarType.Int64);
        var mask = cat([ones(b, p, dtype: ScalarType.Int64, device: tokens.device), tokens], 1);
        var positions = (mask.cumsum(1) - 1).clamp_min(0);
        var (hidden, logits) = DecisionFrom(h, positions, batch.AttentionMask is null ? null : mask, hookLayer, position);
        return (hidden.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    private (Tensor Hidden, Tensor Logits) DecisionFrom(Tensor h, Tensor positions, Tensor? attentionMask, int hookLayer, int position)
    {
        CheckLayer(hookLayer);
        using var context = ContextFor(h, positions, attentionMask);
        var col = position < 0 ? h.size(1) + position : position;
        Tensor? hidden = null;
        for (var i = 0; i < NumLayers; i++)
        {
            if (i == hookLayer) hidden = h[.., col, ..].clone();
            h = RunBlock(i, h, context);
        }
        hidden ??= h[.., col, ..].clone();
        return (hidden, Unembed(FinalNorm(h[.., col, ..])));
    }

    /// <summary>
    /// The evaluation tail: blocks <paramref name="fromLayer"/>… on a length-1 sequence holding only <paramref name="hidden"/>
    /// [B, D] at position 0, the final norm and the unembedding (only the label rows when <paramref name="labelOutputs"/> is given).
    /// </summary>
    public Tensor Tail(Tensor hidden, int fromLayer, Tensor? labelOutputs = null)
    {
        CheckLayer(fromLayer);
        using var scope = NewDisposeScope();
        var h = hidden.unsqueeze(1);
        var positions = zeros(hidden.size(0), 1, dtype: ScalarType.Int64, device: hidden.device);
        using var context = ContextFor(h, positions, null);
        for (var i = fromLayer; i < NumLayers; i++) h = RunBlock(i, h, context);
        return Unembed(FinalNorm(h.squeeze(1)), labelOutputs).MoveToOuterDisposeScope();
    }

    /// <summary>Cross-entropy over the vocabulary at the decision token against the label token that ends each prompt.</summary>
    /// <param name="classLabels">unused: every prompt already ends with its label's token, which is the target</param>
    public Tensor FineTuneLoss(TokenBatch batch, Tensor classLabels)
    {
        using var scope = NewDisposeScope();
        var (_, logits) = Decision(batch, NumLayers);
        return nn.functional.cross_entropy(logits.to(ScalarType.Float32), batch.InputIds[.., -1]).MoveToOuterDisposeScope();
    }

    public Tensor NextTokenLoss(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var logits = Logits(batch);
        var targets = batch.InputIds[.., 1..].clone();
        if (batch.AttentionMask is not null) targets.masked_fill_(batch.AttentionMask[.., 1..].eq(0), -100);
        var v = logits.size(-1);
        return nn.functional.cross_entropy(logits[.., ..^1, ..].reshape(-1, v).to(ScalarType.Float32), targets.reshape(-1), ignore_index: -100).MoveToOuterDisposeScope();
    }

    /// <summary>transformers' order: embeddings, the output of blocks 0…L−2, then the last block's output after the final norm.</summary>
    public BackboneOutputs Outputs(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var h = Embed(batch.InputIds);
        using var context = ContextFor(h, batch.Positions, batch.AttentionMask);
        var states = new List<Tensor> { h };
        for (var i = 0; i < NumLayers; i++)
        {
            h = RunBlock(i, h, context);
            if (i < NumLayers - 1) states.Add(h);
        }
        var normed = FinalNorm(h);
        states.Add(normed);
        var logits = Unembed(normed);
        return new BackboneOutputs(stack(states).MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The forward's context with cos/sin in the dtype the blocks compute in (<paramref name="h"/>'s): float32 angles, cast as
    /// transformers casts them (<c>cos.to(x.dtype)</c>) when the model runs on a float16/bfloat16 copy.
    /// </summary>
    private DecoderContext ContextFor(Tensor h, Tensor positions, Tensor? attentionMask)
    {
        var context = Context(positions, attentionMask);
        if (h.dtype == context.Cos.dtype) return context;
        var cast = new DecoderContext(context.Cos.to(h.dtype), context.Sin.to(h.dtype), context.Mask);
        context.Cos.Dispose();
        context.Sin.Dispose();
        return cast;
    }

    private void CheckLayer(int layer)
    {
        if (layer < 0 || layer > NumLayers) throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} is outside 0..{NumLayers}");
    }
}

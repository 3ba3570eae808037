using ClassifSae.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>
/// GPT-NeoX as a prompt classifier (spec 01 §1.5): the prompt is the template with the true label's digit token appended,
/// batches are left-padded with pad-aware positions, the decision token is the one before the label (column T−2), and a
/// class is scored by its label token's logit.
/// </summary>
public sealed partial class GptNeoXForCausalLM : IClassifierBackbone, ICausalLanguageModel, IGradientCheckpointing
{
    public BackboneShape Shape => Config.Shape;

    public nn.Module Module => this;

    public int[] EncodePrompt(ITextTokenizer tokenizer, PromptTemplate template, string text, int label) =>
        tokenizer.Encode(template.Full(text, label));

    public int[] LabelOutputs(ITextTokenizer tokenizer, int classes) =>
        Enumerable.Range(0, classes).Select(tokenizer.LabelTokenId).ToArray();

    public TokenBatch Batch(IReadOnlyList<int[]> prompts, int padId, int? maxLength, Device device) =>
        TokenBatch.LeftPadded(prompts, padId, device, maxLength);

    /// <summary>
    /// Positions count real tokens only (cumsum(mask) − 1, pads at 0), as transformers' generate() and TransformerLens do
    /// for left padding; a plain transformers forward without position_ids would number pads too.
    /// </summary>
    public TokenBatch Batch(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var mask = attentionMask.to(ScalarType.Int64);
        var positions = (mask.cumsum(1) - 1).clamp_min(0);
        var padded = mask.eq(0).any().item<bool>();
        return new TokenBatch(inputIds.to(ScalarType.Int64).MoveToOuterDisposeScope(),
            padded ? mask.MoveToOuterDisposeScope() : null, positions.MoveToOuterDisposeScope());
    }

    (Tensor Hidden, Tensor Logits) IClassifierBackbone.Decision(TokenBatch batch, int hookLayer) => Decision(batch, hookLayer, position: -2);

    /// <summary>Cross-entropy over the vocabulary at the decision token against the label token that ends each prompt.</summary>
    /// <param name="classLabels">unused: every prompt already ends with its label's token, which is the target</param>
    public Tensor FineTuneLoss(TokenBatch batch, Tensor classLabels)
    {
        using var scope = NewDisposeScope();
        var (_, logits) = Decision(batch, hookLayer: Config.NumLayers, position: -2);
        var target = batch.InputIds[.., -1];
        // In float32 whatever the compute dtype (a float16 working copy under fp16-mixed), as autocast computes losses.
        return nn.functional.cross_entropy(logits.to(ScalarType.Float32), target).MoveToOuterDisposeScope();
    }

    public Tensor NextTokenLoss(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var logits = Logits(batch);
        // Next-token targets; pad positions are ignored.
        var targets = batch.InputIds[.., 1..].clone();
        if (batch.AttentionMask is not null) targets.masked_fill_(batch.AttentionMask[.., 1..].eq(0), -100);
        var v = logits.size(-1);
        var loss = nn.functional.cross_entropy(logits[.., ..^1, ..].reshape(-1, v).to(ScalarType.Float32), targets.reshape(-1), ignore_index: -100);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>transformers' order: embeddings, the output of blocks 0…L−2, then the last block's output after final_layer_norm.</summary>
    public BackboneOutputs Outputs(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = _rotary.Angles(batch.Positions);
        var mask = batch.AttentionMask is null ? null : AttentionMask(batch.AttentionMask);
        var h = Embed(batch.InputIds);
        var states = new List<Tensor> { h };
        for (var i = 0; i < Config.NumLayers; i++)
        {
            h = RunLayer(i, h, cos, sin, mask);
            if (i < Config.NumLayers - 1) states.Add(h);
        }
        var normed = gpt_neox.final_layer_norm.forward(h);
        states.Add(normed);
        var logits = embed_out.forward(normed);
        return new BackboneOutputs(stack(states).MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    public void Save(string folder) => GptNeoXCheckpoint.Save(this, folder);

    /// <summary>A model of the given sizes with HF's random initialisation from <paramref name="seed"/> (the smoke run's backbone).</summary>
    public static GptNeoXForCausalLM Random(GptNeoXConfig config, long seed)
    {
        var model = new GptNeoXForCausalLM(config);
        model.InitializeWeights(new Generator((ulong)seed));
        return model;
    }
}

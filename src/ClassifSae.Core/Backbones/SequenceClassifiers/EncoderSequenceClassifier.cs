using ClassifSae.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.SequenceClassifiers;

/// <summary>
/// What every HF <c>*ForSequenceClassification</c> encoder shares (spec 04 §2.2, §3.5.4, §3.6): special tokens around the text
/// and no template, right padding, the decision state read at layer <c>hookLayer</c> on the first token (or the mean over real
/// tokens), the head on the first token after the last layer, cross-entropy fine-tuning, and a tail that runs the blocks after
/// the hook on the state alone (upstream hooks the last layer, so only the head runs). A family supplies its blocks and head.
/// </summary>
public abstract class EncoderSequenceClassifier : nn.Module, IClassifierBackbone
{
    protected EncoderSequenceClassifier(string name, EncoderHookPooling pooling) : base(name) => HookPooling = pooling;

    /// <summary>Initially the config's <c>classifsae_hook_token</c> (first token when absent).</summary>
    public EncoderHookPooling HookPooling { get; set; }

    public abstract BackboneShape Shape { get; }

    public nn.Module Module => this;

    protected abstract int LayerCount { get; }

    protected abstract int LabelCount { get; }

    /// <summary>The longest input the position embeddings allow.</summary>
    protected abstract int InputLimit { get; }

    /// <summary>Named in the error when a tokenizer without the family's special tokens is passed.</summary>
    protected abstract string TokenizerRequirement { get; }

    /// <summary>transformers' <c>hidden_states[0..n_layers]</c>: the embedding output, then each block's output, [B, T, D] each.</summary>
    protected abstract List<Tensor> States(TokenBatch batch);

    /// <summary>Blocks <paramref name="fromLayer"/>… on a [B, T, D] state with every token real.</summary>
    protected abstract Tensor Continue(Tensor hidden, int fromLayer);

    /// <summary>The classification head on the first token's state: [B, D] → [B, C].</summary>
    protected abstract Tensor Head(Tensor first);

    /// <summary>The family's position ids for ids [B, T] and mask [B, T].</summary>
    protected abstract Tensor Positions(Tensor ids, Tensor mask);

    /// <summary>transformers' initialisation: N(0, <paramref name="std"/>) weights, zero biases, unit LayerNorm (a new head or a test model).</summary>
    public void InitializeWeights(Generator generator, double std = 0.02)
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.Contains("LayerNorm", StringComparison.Ordinal)) p.fill_(name.EndsWith(".bias", StringComparison.Ordinal) ? 0.0 : 1.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.normal_(0, std, generator);
        }
    }

    /// <summary>Special tokens around the text: an encoder reads no prompt template and no label (spec 04 §2.2).</summary>
    public int[] EncodePrompt(ITextTokenizer tokenizer, PromptTemplate template, string text, int label) =>
        tokenizer is ISequenceTokenizer sequence
            ? sequence.EncodeSequence(text)
            : throw new ArgumentException(TokenizerRequirement, nameof(tokenizer));

    public int[] LabelOutputs(ITextTokenizer tokenizer, int classes) =>
        classes == LabelCount
            ? Enumerable.Range(0, classes).ToArray()
            : throw new InvalidDataException($"the classifier head has {LabelCount} outputs (config.json id2label) but the data has {classes} classes");

    public TokenBatch Batch(IReadOnlyList<int[]> prompts, int padId, int? maxLength, Device device) =>
        RightPaddedBatch.Create(prompts, padId, Math.Min(maxLength ?? InputLimit, InputLimit), device, Positions);

    public TokenBatch Batch(Tensor inputIds, Tensor attentionMask) => RightPaddedBatch.FromTensors(inputIds, attentionMask, Positions);

    public (Tensor Hidden, Tensor Logits) Decision(TokenBatch batch, int hookLayer)
    {
        CheckLayer(hookLayer);
        using var scope = NewDisposeScope();
        var states = States(batch);
        var hidden = EncoderStates.Pool(states[hookLayer], batch.AttentionMask ?? ones_like(batch.InputIds), HookPooling);
        var logits = Head(states[^1][.., 0, ..]);
        return (hidden.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The head on a state in place of the first token (upstream: <c>fromLayer</c> = the last layer, so only the head runs). From
    /// an earlier layer the remaining blocks run on a one-token sequence holding the state, as the decoder tail does.
    /// </summary>
    public Tensor Tail(Tensor hidden, int fromLayer, Tensor? labelOutputs = null)
    {
        CheckLayer(fromLayer);
        using var scope = NewDisposeScope();
        var h = fromLayer == LayerCount ? hidden : Continue(hidden.unsqueeze(1), fromLayer)[.., 0, ..];
        var logits = Head(h);
        return (labelOutputs is null ? logits : logits.index_select(1, labelOutputs)).MoveToOuterDisposeScope();
    }

    /// <summary>Cross-entropy of the head's logits against the true classes (upstream's EncoderTrainer).</summary>
    public Tensor FineTuneLoss(TokenBatch batch, Tensor classLabels)
    {
        using var scope = NewDisposeScope();
        var states = States(batch);
        return nn.functional.cross_entropy(Head(states[^1][.., 0, ..]), classLabels).MoveToOuterDisposeScope();
    }

    public BackboneOutputs Outputs(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var states = States(batch);
        var logits = Head(states[^1][.., 0, ..]);
        return new BackboneOutputs(stack(states).MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    public abstract void Save(string folder);

    private void CheckLayer(int layer)
    {
        if (layer < 0 || layer > LayerCount)
            throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} is outside 0..{LayerCount}");
    }
}

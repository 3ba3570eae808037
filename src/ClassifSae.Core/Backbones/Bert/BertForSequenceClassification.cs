using ClassifSae.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// HF's <c>BertForSequenceClassification</c> as a classifier backbone (spec 04 §2.2, §3.2, §3.5.4, §3.6): input [CLS] text [SEP]
/// right-padded, no template; the decision state is the output of layer <see cref="EncoderHook.Layer"/> at [CLS] (or the mean over
/// real tokens); logits = classifier(dropout(pooler(h[CLS] after the last layer))); fine-tuning = cross-entropy on the head.
/// The tail runs the blocks after the hook on the single state, then pooler and classifier (upstream: no block at all).
/// </summary>
public sealed class BertForSequenceClassification : nn.Module, IClassifierBackbone
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly BertModel bert;
    private readonly Linear classifier;
#pragma warning restore IDE1006
    private readonly double _classifierDropout;

    public BertConfig Config { get; }
    public EncoderHook Hook { get; }
    public int Classes { get; }

    public BertForSequenceClassification(BertConfig cfg) : base(nameof(BertForSequenceClassification))
    {
        Config = cfg;
        Hook = cfg.Hook;
        Classes = cfg.Id2Label?.Count ?? throw new ArgumentException("a sequence classifier's config needs id2label (its classes)", nameof(cfg));
        bert = new BertModel(cfg, withPooler: true);
        classifier = nn.Linear(cfg.HiddenSize, Classes);
        _classifierDropout = cfg.ClassifierDropout ?? cfg.HiddenDropout;
        RegisterComponents();
    }

    public static BackboneShape ShapeOf(BertConfig cfg) =>
        new("bert", cfg.VocabSize, cfg.HiddenSize, cfg.NumLayers, cfg.Hook.Layer, cfg.Hook.HookName);

    public BackboneShape Shape => ShapeOf(Config);

    public nn.Module Module => this;

    public int[] EncodePrompt(ITextTokenizer tokenizer, PromptTemplate template, string text, int label) =>
        tokenizer is IEncoderTokenizer encoder
            ? encoder.EncodeSequence(text)
            : throw new InvalidOperationException($"a BERT classifier needs a WordPiece tokenizer, got {tokenizer.GetType().Name}");

    public int[] LabelOutputs(ITextTokenizer tokenizer, int classes) =>
        classes == Classes ? Enumerable.Range(0, classes).ToArray()
            : throw new InvalidOperationException($"the classifier has {Classes} classes but the data set has {classes}");

    /// <summary>Right padding; a row longer than the limit (at most max_position_embeddings) keeps its first tokens and its final [SEP].</summary>
    public TokenBatch Batch(IReadOnlyList<int[]> prompts, int padId, int? maxLength, Device device)
    {
        if (prompts.Count == 0) throw new ArgumentException("empty batch", nameof(prompts));
        var limit = Math.Min(maxLength ?? Config.MaxPositions, Config.MaxPositions);
        var rows = prompts.Select(p => p.Length <= limit ? p : [.. p[..(limit - 1)], p[^1]]).ToList();
        using var batch = BertInputBatch.RightPadded(rows, padId, device);
        return Batch(batch.InputIds, batch.AttentionMask);
    }

    public TokenBatch Batch(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (inputIds.size(0), inputIds.size(1));
        var positions = arange(t, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0).expand(b, t).contiguous();
        return new TokenBatch(inputIds.to(ScalarType.Int64).MoveToOuterDisposeScope(), attentionMask.to(ScalarType.Int64).MoveToOuterDisposeScope(),
            positions.MoveToOuterDisposeScope());
    }

    public (Tensor Hidden, Tensor Logits) Decision(TokenBatch batch, int hookLayer)
    {
        using var scope = NewDisposeScope();
        var states = States(batch, out var mask);
        var hidden = Read(states[hookLayer], mask);
        var logits = Head(states[^1][.., 0]);
        return (hidden.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    public Tensor Tail(Tensor hidden, int fromLayer, Tensor? labelOutputs = null)
    {
        using var scope = NewDisposeScope();
        var h = hidden;
        if (fromLayer < Config.NumLayers)
        {
            // One position attending to itself, as upstream's decoder tail: the remaining blocks on the state alone.
            using var self = ones(hidden.size(0), 1, 1, 1, dtype: ScalarType.Bool, device: hidden.device);
            h = bert.Encoder.Forward(hidden.unsqueeze(1), self, fromLayer, Config.NumLayers)[.., 0];
        }
        var logits = Head(h);
        return (labelOutputs is null ? logits : logits.index_select(1, labelOutputs)).MoveToOuterDisposeScope();
    }

    public Tensor FineTuneLoss(TokenBatch batch, Tensor classLabels)
    {
        using var scope = NewDisposeScope();
        var mask = batch.AttentionMask ?? ones_like(batch.InputIds);
        var last = bert.Forward(batch.InputIds, mask);
        return nn.functional.cross_entropy(Head(last[.., 0]), classLabels).MoveToOuterDisposeScope();
    }

    public BackboneOutputs Outputs(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var states = States(batch, out _);
        var logits = Head(states[^1][.., 0]);
        return new BackboneOutputs(stack(states).MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    public void Save(string folder) => BertClassifierCheckpoint.Save(this, folder);

    /// <summary>pooler, dropout (train mode only), classifier: [B, D] → [B, C].</summary>
    private Tensor Head(Tensor state) =>
        classifier.forward(nn.functional.dropout(bert.Pooler.forward(state), _classifierDropout, training));

    private List<Tensor> States(TokenBatch batch, out Tensor mask)
    {
        mask = batch.AttentionMask ?? ones_like(batch.InputIds);
        return bert.Encoder.States(bert.Embed(batch.InputIds), BertModel.KeyMask(mask));
    }

    /// <summary>The decision state of each row: [CLS], or the mean over real tokens.</summary>
    private Tensor Read(Tensor states, Tensor mask)
    {
        if (Hook.Token == EncoderHook.Cls) return states[.., 0];
        var m = mask.to(states.dtype).unsqueeze(-1);
        return (states * m).sum(1) / m.sum(1);
    }
}

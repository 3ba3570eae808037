using ClassifSae.Backbones.SequenceClassifiers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// HF's <c>BertForSequenceClassification</c> as a classifier backbone (spec 04 §2.2, §3.2, §3.5.4, §3.6): [CLS] text [SEP],
/// right padding, no template; logits = classifier(dropout(pooler(h[CLS] after the last layer))).
/// </summary>
public sealed class BertForSequenceClassification : EncoderSequenceClassifier
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly BertModel bert;
    private readonly Linear classifier;
#pragma warning restore IDE1006
    private readonly double _classifierDropout;

    public BertConfig Config { get; }

    public BertForSequenceClassification(BertConfig cfg) : base(nameof(BertForSequenceClassification), EncoderHook.Pooling(cfg.Hook.Token))
    {
        Config = cfg;
        var classes = cfg.Id2Label?.Count ?? throw new ArgumentException("a sequence classifier's config needs id2label (its classes)", nameof(cfg));
        bert = new BertModel(cfg, withPooler: true);
        classifier = nn.Linear(cfg.HiddenSize, classes);
        _classifierDropout = cfg.ClassifierDropout ?? cfg.HiddenDropout;
        RegisterComponents();
    }

    public static BackboneShape ShapeOf(BertConfig cfg) =>
        new("bert", cfg.VocabSize, cfg.HiddenSize, cfg.NumLayers, cfg.Hook.Layer, cfg.Hook.HookName);

    public override BackboneShape Shape => ShapeOf(Config);

    protected override int LayerCount => Config.NumLayers;

    protected override int LabelCount => Config.Id2Label!.Count;

    protected override int InputLimit => Config.MaxPositions;

    protected override string TokenizerRequirement => "a BERT classifier needs its WordPiece tokenizer (with [CLS] and [SEP])";

    protected override List<Tensor> States(TokenBatch batch) =>
        bert.Encoder.States(bert.Embed(batch.InputIds), BertModel.KeyMask(batch.AttentionMask ?? ones_like(batch.InputIds)));

    protected override Tensor Continue(Tensor hidden, int fromLayer)
    {
        using var everyKey = ones(hidden.size(0), 1, 1, hidden.size(1), dtype: ScalarType.Bool, device: hidden.device);
        return bert.Encoder.Forward(hidden, everyKey, fromLayer, Config.NumLayers);
    }

    /// <summary>pooler, dropout (train mode only), classifier.</summary>
    protected override Tensor Head(Tensor first) =>
        classifier.forward(nn.functional.dropout(bert.Pooler.forward(first), _classifierDropout, training));

    protected override Tensor Positions(Tensor ids, Tensor mask) => RightPaddedBatch.AbsolutePositions(ids);

    public override void Save(string folder) => BertClassifierCheckpoint.Save(this, folder);
}

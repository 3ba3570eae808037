using ClassifSae.Backbones.SequenceClassifiers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// DeBERTa-v2/v3 as a sequence classifier (HF <c>DebertaV2ForSequenceClassification</c>, spec 04 §3.7.5): [CLS] text [SEP],
/// right padding, disentangled relative attention, and ContextPooler (dense + GELU on [CLS]) + classifier after the last
/// layer; upstream's tail is pooler + classifier (spec 04 §0.3, §3.6).
/// </summary>
public sealed class DebertaV2ForSequenceClassification : EncoderSequenceClassifier
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly DebertaV2Model deberta;
    private readonly ContextPooler pooler;
    private readonly Linear classifier;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public DebertaV2Config Config { get; }

    public DebertaV2ForSequenceClassification(DebertaV2Config cfg) : base("DebertaV2ForSequenceClassification", EncoderHook.Pooling(cfg.HookToken))
    {
        cfg.Validate("model config");
        Config = cfg;
        deberta = new DebertaV2Model(cfg);
        pooler = new ContextPooler(cfg);
        classifier = nn.Linear(cfg.PoolerSize, cfg.NumLabels);
        dropout = nn.Dropout(cfg.ClsDropout ?? cfg.HiddenDropout);
        RegisterComponents();
    }

    public override BackboneShape Shape => Config.Shape;

    protected override int LayerCount => Config.NumLayers;

    protected override int LabelCount => Config.NumLabels;

    protected override int InputLimit => Config.MaxPositions;

    protected override string TokenizerRequirement => "a DeBERTa classifier needs its tokenizer.json tokenizer (with [CLS] and [SEP])";

    protected override List<Tensor> States(TokenBatch batch) => deberta.States(batch, Config.NumLayers);

    protected override Tensor Continue(Tensor hidden, int fromLayer) => deberta.Continue(hidden, fromLayer, Config.NumLayers);

    protected override Tensor Head(Tensor first) => classifier.forward(dropout.forward(pooler.Forward(first)));

    /// <summary>Absolute positions 0…T−1 (transformers' default position_ids; read only with position_biased_input).</summary>
    protected override Tensor Positions(Tensor ids, Tensor mask) => RightPaddedBatch.AbsolutePositions(ids);

    public override void Save(string folder) => DebertaV2Checkpoint.Save(this, folder);

    /// <summary>A model of the given sizes with transformers' random initialisation from <paramref name="seed"/>.</summary>
    public static DebertaV2ForSequenceClassification Random(DebertaV2Config config, long seed, double std = 0.02)
    {
        var model = new DebertaV2ForSequenceClassification(config);
        model.InitializeWeights(new Generator((ulong)seed), std);
        return model;
    }
}

using ClassifSae.Backbones.SequenceClassifiers;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Roberta;

/// <summary>
/// RoBERTa as a sequence classifier (HF <c>RobertaForSequenceClassification</c>): &lt;s&gt; text &lt;/s&gt;, right padding,
/// positions from pad_token_id + 1, post-LN BERT blocks, and a head (dense + tanh + out_proj) on &lt;s&gt; after the last
/// layer. State-dict keys equal transformers' ones.
/// </summary>
public sealed class RobertaForSequenceClassification : EncoderSequenceClassifier
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly RobertaModel roberta;
    private readonly RobertaClassificationHead classifier;
#pragma warning restore IDE1006

    public RobertaConfig Config { get; }

    public RobertaForSequenceClassification(RobertaConfig cfg) : base("RobertaForSequenceClassification", EncoderHook.Pooling(cfg.HookToken))
    {
        cfg.Validate("model config");
        Config = cfg;
        roberta = new RobertaModel(cfg);
        classifier = new RobertaClassificationHead(cfg);
        RegisterComponents();
    }

    public override BackboneShape Shape => Config.Shape;

    protected override int LayerCount => Config.NumLayers;

    protected override int LabelCount => Config.NumLabels;

    protected override int InputLimit => Config.MaxLength;

    protected override string TokenizerRequirement => "a RoBERTa classifier needs its tokenizer.json tokenizer (with <s> and </s>)";

    protected override List<Tensor> States(TokenBatch batch) => roberta.States(batch, Config.NumLayers);

    protected override Tensor Continue(Tensor hidden, int fromLayer) => roberta.Continue(hidden, fromLayer, Config.NumLayers);

    protected override Tensor Head(Tensor first) => classifier.Forward(first);

    protected override Tensor Positions(Tensor ids, Tensor mask) => RobertaPositions.FromInputIds(ids, Config.PadTokenId);

    public override void Save(string folder) => RobertaCheckpoint.Save(this, folder);

    /// <summary>A model of the given sizes with transformers' random initialisation from <paramref name="seed"/>.</summary>
    public static RobertaForSequenceClassification Random(RobertaConfig config, long seed, double std = 0.02)
    {
        var model = new RobertaForSequenceClassification(config);
        model.InitializeWeights(new Generator((ulong)seed), std);
        return model;
    }
}

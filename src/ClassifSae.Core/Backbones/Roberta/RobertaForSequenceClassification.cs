using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Roberta;

/// <summary>
/// RoBERTa as a sequence classifier (HF <c>RobertaForSequenceClassification</c>): &lt;s&gt; text &lt;/s&gt;, right padding,
/// positions from pad_token_id + 1, post-LN BERT blocks, and a head (dense + tanh + out_proj) on &lt;s&gt; after the last
/// layer. The hook reads the state after block <c>hookLayer − 1</c> at &lt;s&gt; (<see cref="HookPooling"/>: or the mean over real
/// tokens); upstream caches the last layer's output (spec 04 §0.3, §3.5.4). State-dict keys equal transformers' ones.
/// </summary>
public sealed class RobertaForSequenceClassification : nn.Module, IClassifierBackbone
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly RobertaModel roberta;
    private readonly RobertaClassificationHead classifier;
#pragma warning restore IDE1006

    public RobertaConfig Config { get; }

    /// <summary>Initially the config's <c>classifsae_hook_token</c> (first token when absent).</summary>
    public EncoderHookPooling HookPooling { get; set; }

    public RobertaForSequenceClassification(RobertaConfig cfg) : base("RobertaForSequenceClassification")
    {
        cfg.Validate("model config");
        Config = cfg;
        HookPooling = EncoderHookSetting.Pooling(cfg.HookToken);
        roberta = new RobertaModel(cfg);
        classifier = new RobertaClassificationHead(cfg);
        RegisterComponents();
    }

    public BackboneShape Shape => Config.Shape;

    public nn.Module Module => this;

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

    /// <summary>&lt;s&gt; text &lt;/s&gt;: an encoder reads no prompt template and no label (spec 04 §2.2).</summary>
    public int[] EncodePrompt(ITextTokenizer tokenizer, PromptTemplate template, string text, int label) =>
        tokenizer is ISequenceTokenizer sequence
            ? sequence.EncodeSequence(text)
            : throw new ArgumentException("a RoBERTa classifier needs its tokenizer.json tokenizer (with <s> and </s>)", nameof(tokenizer));

    public int[] LabelOutputs(ITextTokenizer tokenizer, int classes) =>
        classes == Config.NumLabels
            ? Enumerable.Range(0, classes).ToArray()
            : throw new InvalidDataException($"the classifier head has {Config.NumLabels} outputs (config.json id2label) but the data has {classes} classes");

    public TokenBatch Batch(IReadOnlyList<int[]> prompts, int padId, int? maxLength, Device device) =>
        RightPaddedBatch.Create(prompts, padId, Math.Min(maxLength ?? Config.MaxLength, Config.MaxLength), device, Positions);

    public TokenBatch Batch(Tensor inputIds, Tensor attentionMask) => RightPaddedBatch.FromTensors(inputIds, attentionMask, Positions);

    private Tensor Positions(Tensor ids, Tensor mask) => RobertaPositions.FromInputIds(ids, Config.PadTokenId);

    public (Tensor Hidden, Tensor Logits) Decision(TokenBatch batch, int hookLayer)
    {
        CheckLayer(hookLayer);
        using var scope = NewDisposeScope();
        var states = roberta.States(batch, Config.NumLayers);
        var hidden = EncoderStates.Pool(states[hookLayer], batch.AttentionMask ?? ones_like(batch.InputIds), HookPooling);
        var logits = classifier.Forward(states[^1][.., 0, ..]);
        return (hidden.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The head on a state in place of &lt;s&gt; (upstream: <c>fromLayer</c> = the last layer, so only the head runs). From an
    /// earlier layer the remaining blocks run on a one-token sequence holding the state, as the decoder tail does.
    /// </summary>
    public Tensor Tail(Tensor hidden, int fromLayer, Tensor? labelOutputs = null)
    {
        CheckLayer(fromLayer);
        using var scope = NewDisposeScope();
        var h = fromLayer == Config.NumLayers ? hidden : roberta.Continue(hidden.unsqueeze(1), fromLayer, Config.NumLayers)[.., 0, ..];
        var logits = classifier.Forward(h);
        return (labelOutputs is null ? logits : logits.index_select(1, labelOutputs)).MoveToOuterDisposeScope();
    }

    /// <summary>Cross-entropy of the head's logits against the true classes (upstream's EncoderTrainer).</summary>
    public Tensor FineTuneLoss(TokenBatch batch, Tensor classLabels)
    {
        using var scope = NewDisposeScope();
        var states = roberta.States(batch, Config.NumLayers);
        var logits = classifier.Forward(states[^1][.., 0, ..]);
        return nn.functional.cross_entropy(logits, classLabels).MoveToOuterDisposeScope();
    }

    public BackboneOutputs Outputs(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var states = roberta.States(batch, Config.NumLayers);
        var logits = classifier.Forward(states[^1][.., 0, ..]);
        return new BackboneOutputs(stack(states).MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    public void Save(string folder) => RobertaCheckpoint.Save(this, folder);

    /// <summary>A model of the given sizes with transformers' random initialisation from <paramref name="seed"/>.</summary>
    public static RobertaForSequenceClassification Random(RobertaConfig config, long seed, double std = 0.02)
    {
        var model = new RobertaForSequenceClassification(config);
        model.InitializeWeights(new Generator((ulong)seed), std);
        return model;
    }

    private void CheckLayer(int layer)
    {
        if (layer < 0 || layer > Config.NumLayers)
            throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} is outside 0..{Config.NumLayers}");
    }
}

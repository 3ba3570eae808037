using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// DeBERTa-v2/v3 as a sequence classifier (HF <c>DebertaV2ForSequenceClassification</c>, spec 04 §3.7.5): [CLS] text [SEP],
/// right padding, disentangled relative attention, and ContextPooler (dense + GELU on [CLS]) + classifier after the last
/// layer. The hook reads the state after block <c>hookLayer − 1</c> at [CLS] (<see cref="HookPooling"/>: or the mean over real
/// tokens); upstream caches the last layer's output and its tail is pooler + classifier (spec 04 §0.3, §3.6).
/// </summary>
public sealed class DebertaV2ForSequenceClassification : nn.Module, IClassifierBackbone
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly DebertaV2Model deberta;
    private readonly ContextPooler pooler;
    private readonly Linear classifier;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public DebertaV2Config Config { get; }

    /// <summary>Initially the config's <c>classifsae_hook_token</c> (first token when absent).</summary>
    public EncoderHookPooling HookPooling { get; set; }

    public DebertaV2ForSequenceClassification(DebertaV2Config cfg) : base("DebertaV2ForSequenceClassification")
    {
        cfg.Validate("model config");
        Config = cfg;
        HookPooling = EncoderHookSetting.Pooling(cfg.HookToken);
        deberta = new DebertaV2Model(cfg);
        pooler = new ContextPooler(cfg);
        classifier = nn.Linear(cfg.PoolerSize, cfg.NumLabels);
        dropout = nn.Dropout(cfg.ClsDropout ?? cfg.HiddenDropout);
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

    /// <summary>[CLS] text [SEP]: an encoder reads no prompt template and no label (spec 04 §2.2).</summary>
    public int[] EncodePrompt(ITextTokenizer tokenizer, PromptTemplate template, string text, int label) =>
        tokenizer is ISequenceTokenizer sequence
            ? sequence.EncodeSequence(text)
            : throw new ArgumentException("a DeBERTa classifier needs its tokenizer.json tokenizer (with [CLS] and [SEP])", nameof(tokenizer));

    public int[] LabelOutputs(ITextTokenizer tokenizer, int classes) =>
        classes == Config.NumLabels
            ? Enumerable.Range(0, classes).ToArray()
            : throw new InvalidDataException($"the classifier head has {Config.NumLabels} outputs (config.json id2label) but the data has {classes} classes");

    public TokenBatch Batch(IReadOnlyList<int[]> prompts, int padId, int? maxLength, Device device) =>
        RightPaddedBatch.Create(prompts, padId, Math.Min(maxLength ?? Config.MaxPositions, Config.MaxPositions), device, Positions);

    public TokenBatch Batch(Tensor inputIds, Tensor attentionMask) => RightPaddedBatch.FromTensors(inputIds, attentionMask, Positions);

    /// <summary>Absolute positions 0…T−1 (transformers' default position_ids; read only with position_biased_input).</summary>
    private static Tensor Positions(Tensor ids, Tensor mask) =>
        arange(ids.size(1), dtype: ScalarType.Int64, device: ids.device).unsqueeze(0).expand(ids.size(0), -1).contiguous();

    public (Tensor Hidden, Tensor Logits) Decision(TokenBatch batch, int hookLayer)
    {
        CheckLayer(hookLayer);
        using var scope = NewDisposeScope();
        var states = deberta.States(batch, Config.NumLayers);
        var hidden = EncoderStates.Pool(states[hookLayer], batch.AttentionMask ?? ones_like(batch.InputIds), HookPooling);
        var logits = Head(states[^1][.., 0, ..]);
        return (hidden.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// ContextPooler + classifier on a state in place of [CLS] (upstream: <c>fromLayer</c> = the last layer, so only the head runs).
    /// From an earlier layer the remaining blocks run on a one-token sequence holding the state, as the decoder tail does.
    /// </summary>
    public Tensor Tail(Tensor hidden, int fromLayer, Tensor? labelOutputs = null)
    {
        CheckLayer(fromLayer);
        using var scope = NewDisposeScope();
        var h = fromLayer == Config.NumLayers ? hidden : deberta.Continue(hidden.unsqueeze(1), fromLayer, Config.NumLayers)[.., 0, ..];
        var logits = Head(h);
        return (labelOutputs is null ? logits : logits.index_select(1, labelOutputs)).MoveToOuterDisposeScope();
    }

    /// <summary>Cross-entropy of the head's logits against the true classes (upstream's EncoderTrainer).</summary>
    public Tensor FineTuneLoss(TokenBatch batch, Tensor classLabels)
    {
        using var scope = NewDisposeScope();
        var states = deberta.States(batch, Config.NumLayers);
        return nn.functional.cross_entropy(Head(states[^1][.., 0, ..]), classLabels).MoveToOuterDisposeScope();
    }

    public BackboneOutputs Outputs(TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var states = deberta.States(batch, Config.NumLayers);
        var logits = Head(states[^1][.., 0, ..]);
        return new BackboneOutputs(stack(states).MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    public void Save(string folder) => DebertaV2Checkpoint.Save(this, folder);

    /// <summary>A model of the given sizes with transformers' random initialisation from <paramref name="seed"/>.</summary>
    public static DebertaV2ForSequenceClassification Random(DebertaV2Config config, long seed, double std = 0.02)
    {
        var model = new DebertaV2ForSequenceClassification(config);
        model.InitializeWeights(new Generator((ulong)seed), std);
        return model;
    }

    private Tensor Head(Tensor first) => classifier.forward(dropout.forward(pooler.Forward(first)));

    private void CheckLayer(int layer)
    {
        if (layer < 0 || layer > Config.NumLayers)
            throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} is outside 0..{Config.NumLayers}");
    }
}

using ClassifSae.Backbones.Decoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Llama;

/// <summary>
/// The Llama-shaped causal LM (<c>LlamaForCausalLM</c>, and with their config rules <c>MistralForCausalLM</c> and
/// <c>Qwen2ForCausalLM</c>): RMSNorm pre-norm blocks, grouped-query attention, SiLU-gated MLP, tied or separate
/// <c>lm_head</c>. State-dict keys equal the Hugging Face ones (<c>model.layers.N.self_attn.q_proj.weight</c>, <c>lm_head.weight</c>).
/// </summary>
public sealed class LlamaForCausalLM : CausalDecoder
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly LlamaModel model;
    private readonly Linear lm_head;
#pragma warning restore IDE1006
    // Not a Tensor field, so not registered as a buffer: it stays out of the state dict and the checkpoints.
    private readonly Tensor[] _invFreq;

    public LlamaConfig Config { get; }

    public LlamaForCausalLM(LlamaConfig cfg) : base(LlamaConfig.DefaultArchitecture(cfg.ModelType))
    {
        cfg.Validate("model config");
        Config = cfg;
        model = new LlamaModel(cfg);
        lm_head = nn.Linear(cfg.HiddenSize, cfg.VocabSize, hasBias: false);
        RegisterComponents();
        if (cfg.TieWordEmbeddings) lm_head.weight = model.embed_tokens.weight!;
        _invFreq = [LlamaRotary.InverseFrequencies(cfg)];
    }

    public override BackboneShape Shape => Config.Shape;

    public override int? BosTokenId => Config.PromptBos;

    /// <summary>transformers' initialisation: N(0, std) for linear and embedding weights, zero biases, unit RMSNorm weights.</summary>
    public void InitializeWeights(Generator generator, double std = 0.02)
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(1.0);
            else p.normal_(0, std, generator);
        }
    }

    public static LlamaForCausalLM Random(LlamaConfig config, long seed, double std = 0.02)
    {
        var m = new LlamaForCausalLM(config);
        m.InitializeWeights(new Generator((ulong)seed), std);
        return m;
    }

    protected override Tensor Embed(Tensor inputIds) => model.embed_tokens.forward(inputIds);

    protected override DecoderContext Context(Tensor positions, Tensor? attentionMask)
    {
        var (cos, sin) = LlamaRotary.Angles(positions, _invFreq[0]);
        return new DecoderContext(cos, sin, CausalMask.Build(attentionMask, positions.size(1), Config.SlidingWindow, positions.device));
    }

    protected override Tensor Block(int layer, Tensor h, DecoderContext context) => model.layers[layer].Forward(h, context);

    protected override IReadOnlyList<Tensor> BlockParameters(int layer) => model.layers[layer].parameters().ToList();

    protected override Tensor FinalNorm(Tensor h) => model.norm.forward(h);

    protected override Tensor Unembed(Tensor normed, Tensor? rows = null) =>
        rows is null ? lm_head.forward(normed) : nn.functional.linear(normed, lm_head.weight!.index_select(0, rows));

    public override void Save(string folder) => LlamaCheckpoint.Save(this, folder);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _invFreq[0].Dispose();
        base.Dispose(disposing);
    }
}

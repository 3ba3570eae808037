using ClassifSae.Backbones.Decoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptJ;

/// <summary>
/// GPT-J causal LM (<c>GPTJForCausalLM</c>): parallel blocks on one LayerNorm, partial interleaved rotary, and an
/// <c>lm_head</c> with a bias. No BOS is put in front of prompts (GPT-2 tokenizer). State-dict keys equal the HF ones.
/// </summary>
public sealed class GptJForCausalLM : CausalDecoder
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly GptJModel transformer;
    private readonly Linear lm_head;
#pragma warning restore IDE1006

    public GptJConfig Config { get; }

    public GptJForCausalLM(GptJConfig cfg) : base("GPTJForCausalLM")
    {
        cfg.Validate("model config");
        Config = cfg;
        transformer = new GptJModel(cfg);
        lm_head = nn.Linear(cfg.HiddenSize, cfg.VocabSize, hasBias: true);
        RegisterComponents();
        if (cfg.TieWordEmbeddings) lm_head.weight = transformer.wte.weight!;
    }

    public override BackboneShape Shape => Config.Shape;

    public override int? BosTokenId => null;

    /// <summary>transformers' initialisation: N(0, std) weights, zero biases, unit LayerNorm weights.</summary>
    public void InitializeWeights(Generator generator, double std = 0.02)
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.Contains("ln_", StringComparison.Ordinal)) p.fill_(name.EndsWith(".weight", StringComparison.Ordinal) ? 1.0 : 0.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.normal_(0, std, generator);
        }
    }

    protected override Tensor Embed(Tensor inputIds) => transformer.wte.forward(inputIds);

    protected override DecoderContext Context(Tensor positions, Tensor? attentionMask)
    {
        var (cos, sin) = GptJRotary.Angles(positions, Config.RotaryDim);
        return new DecoderContext(cos, sin, CausalMask.Build(attentionMask, positions.size(1), null, positions.device));
    }

    protected override Tensor Block(int layer, Tensor h, DecoderContext context) => transformer.h[layer].Forward(h, context);

    protected override IReadOnlyList<Tensor> BlockParameters(int layer) => transformer.h[layer].parameters().ToList();

    protected override Tensor FinalNorm(Tensor h) => transformer.ln_f.forward(h);

    protected override Tensor Unembed(Tensor normed, Tensor? rows = null) =>
        rows is null
            ? lm_head.forward(normed)
            : nn.functional.linear(normed, lm_head.weight!.index_select(0, rows), lm_head.bias!.index_select(0, rows));

    public override void Save(string folder) => GptJCheckpoint.Save(this, folder);
}

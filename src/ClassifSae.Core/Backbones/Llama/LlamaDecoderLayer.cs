using ClassifSae.Backbones.Decoders;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Llama;

/// <summary>One pre-norm block: h1 = x + attn(rms1(x)); h2 = h1 + mlp(rms2(h1)).</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly RmsNorm input_layernorm;
    private readonly RmsNorm post_attention_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
#pragma warning restore IDE1006

    public LlamaDecoderLayer(LlamaConfig cfg) : base("layer")
    {
        input_layernorm = new RmsNorm(cfg.HiddenSize, cfg.RmsNormEps);
        post_attention_layernorm = new RmsNorm(cfg.HiddenSize, cfg.RmsNormEps);
        self_attn = new LlamaAttention(cfg);
        mlp = new LlamaMlp(cfg);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, DecoderContext context)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.Forward(input_layernorm.forward(x), context);
        return (h + mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}

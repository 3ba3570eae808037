using ClassifSae.Backbones.Decoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptJ;

/// <summary>One GPT-J block: attention and MLP in parallel on the same LayerNorm, h' = h + attn(ln_1(h)) + mlp(ln_1(h)).</summary>
public sealed class GptJBlock : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly LayerNorm ln_1;
    private readonly GptJAttention attn;
    private readonly GptJMlp mlp;
#pragma warning restore IDE1006

    public GptJBlock(GptJConfig cfg) : base("block")
    {
        ln_1 = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        attn = new GptJAttention(cfg);
        mlp = new GptJMlp(cfg);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, DecoderContext context)
    {
        using var scope = NewDisposeScope();
        var normed = ln_1.forward(x);
        return (attn.Forward(normed, context) + mlp.forward(normed) + x).MoveToOuterDisposeScope();
    }
}

using ClassifSae.Backbones.Decoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptJ;

/// <summary>GPT-J self-attention: bias-free q/k/v/out projections, interleaved rotary on the first rotary_dim dims, scale 1/√head_dim.</summary>
public sealed class GptJAttention : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
#pragma warning restore IDE1006
    private readonly int _heads, _headDim;

    public GptJAttention(GptJConfig cfg) : base("attn")
    {
        (_heads, _headDim) = (cfg.NumHeads, cfg.HeadDim);
        q_proj = nn.Linear(cfg.HiddenSize, cfg.HiddenSize, hasBias: false);
        k_proj = nn.Linear(cfg.HiddenSize, cfg.HiddenSize, hasBias: false);
        v_proj = nn.Linear(cfg.HiddenSize, cfg.HiddenSize, hasBias: false);
        out_proj = nn.Linear(cfg.HiddenSize, cfg.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, DecoderContext context)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.size(0), x.size(1));
        Tensor Heads(Linear proj) => proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
        var q = GptJRotary.Apply(Heads(q_proj), context.Cos, context.Sin);
        var k = GptJRotary.Apply(Heads(k_proj), context.Cos, context.Sin);
        var v = Heads(v_proj);
        var att = context.Mask is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: t > 1)
            : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: context.Mask);
        return out_proj.forward(att.transpose(1, 2).reshape(b, t, _heads * _headDim)).MoveToOuterDisposeScope();
    }
}

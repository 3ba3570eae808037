using ClassifSae.Backbones.Decoders;
using ClassifSae.Backbones.GptNeoX;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Llama;

/// <summary>
/// Grouped-query causal self-attention: separate q/k/v/o projections, rotate-half rotary over the whole head, and each of
/// the num_key_value_heads k/v heads shared by num_attention_heads / num_key_value_heads consecutive query heads
/// (transformers' <c>repeat_kv</c>), scale 1/√head_dim.
/// </summary>
public sealed class LlamaAttention : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
#pragma warning restore IDE1006
    private readonly int _heads, _kvHeads, _headDim;

    public LlamaAttention(LlamaConfig cfg) : base("self_attn")
    {
        (_heads, _kvHeads, _headDim) = (cfg.NumHeads, cfg.NumKeyValueHeads, cfg.HeadDim);
        q_proj = nn.Linear(cfg.HiddenSize, _heads * _headDim, hasBias: cfg.QkvBias);
        k_proj = nn.Linear(cfg.HiddenSize, _kvHeads * _headDim, hasBias: cfg.QkvBias);
        v_proj = nn.Linear(cfg.HiddenSize, _kvHeads * _headDim, hasBias: cfg.QkvBias);
        o_proj = nn.Linear(_heads * _headDim, cfg.HiddenSize, hasBias: cfg.OutputBias);
        RegisterComponents();
    }

    /// <param name="x">[B, T, D]</param>
    public Tensor Forward(Tensor x, DecoderContext context)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.size(0), x.size(1));
        var q = RotaryEmbedding.Apply(q_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2), context.Cos, context.Sin);
        var k = RotaryEmbedding.Apply(k_proj.forward(x).view(b, t, _kvHeads, _headDim).transpose(1, 2), context.Cos, context.Sin);
        var v = v_proj.forward(x).view(b, t, _kvHeads, _headDim).transpose(1, 2);
        var groups = _heads / _kvHeads;
        if (groups > 1)
        {
            k = k.repeat_interleave(groups, dim: 1);
            v = v.repeat_interleave(groups, dim: 1);
        }
        var att = context.Mask is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: t > 1)
            : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: context.Mask);
        var merged = att.transpose(1, 2).reshape(b, t, _heads * _headDim);
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }
}

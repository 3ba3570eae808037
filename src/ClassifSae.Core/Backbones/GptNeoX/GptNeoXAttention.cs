using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>Multi-head causal self-attention with GPT-NeoX's fused QKV, laid out per head as (q, k, v).</summary>
public sealed class GptNeoXAttention : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear query_key_value;
    private readonly Linear dense;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _headDim;

    public GptNeoXAttention(GptNeoXConfig cfg) : base("attention")
    {
        _heads = cfg.NumHeads;
        _headDim = cfg.HeadDim;
        query_key_value = nn.Linear(cfg.HiddenSize, 3 * cfg.HiddenSize, hasBias: cfg.AttentionBias);
        dense = nn.Linear(cfg.HiddenSize, cfg.HiddenSize, hasBias: cfg.AttentionBias);
        RegisterComponents();
    }

    /// <param name="x">[B, T, D]</param>
    /// <param name="cos">rotary cos [B, 1, T, r]</param>
    /// <param name="sin">rotary sin [B, 1, T, r]</param>
    /// <param name="mask">additive attention mask [B, 1, T, T] (0 or -inf), or null for plain causal</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.size(0), x.size(1));
        var qkv = query_key_value.forward(x).view(b, t, _heads, 3 * _headDim).transpose(1, 2); // [B, H, T, 3hd]
        var parts = qkv.split(_headDim, dim: -1);
        var q = RotaryEmbedding.Apply(parts[0], cos, sin);
        var k = RotaryEmbedding.Apply(parts[1], cos, sin);
        var v = parts[2];
        var att = mask is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: t > 1)
            : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);
        var merged = att.transpose(1, 2).reshape(b, t, _heads * _headDim);
        return dense.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The attention output at one column only, [B, D]: keys and values from every position, the query from
    /// <paramref name="column"/> alone (what the last block needs when only the decision token's output is read).
    /// Equals <c>Forward(...)[.., column, ..]</c> up to float rounding.
    /// </summary>
    public Tensor ForwardColumn(Tensor x, long column, Tensor cos, Tensor sin, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.size(0), x.size(1));
        var qkv = query_key_value.forward(x).view(b, t, _heads, 3 * _headDim).transpose(1, 2); // [B, H, T, 3hd]
        var parts = qkv.split(_headDim, dim: -1);
        var at = TensorIndex.Slice(column, column + 1);
        var q = RotaryEmbedding.Apply(parts[0][.., .., at, ..], cos[.., .., at, ..], sin[.., .., at, ..]);   // [B, H, 1, hd]
        var k = RotaryEmbedding.Apply(parts[1], cos, sin);
        var v = parts[2];
        // The causal row of this column: keys 0..column (and the padding mask's row when there is one).
        var row = mask is not null
            ? mask[.., .., at, ..]
            : arange(t, device: x.device).le(column).view(1, 1, 1, t);
        var att = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: row);               // [B, H, 1, hd]
        var merged = att.reshape(b, _heads * _headDim);
        return dense.forward(merged).MoveToOuterDisposeScope();
    }
}

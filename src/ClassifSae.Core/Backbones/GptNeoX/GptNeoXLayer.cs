using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>One GPT-NeoX block: x + attn(ln1(x)) + mlp(ln2(x)) (parallel residual), or the sequential form.</summary>
public sealed class GptNeoXLayer : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly LayerNorm input_layernorm;
    private readonly LayerNorm post_attention_layernorm;
    private readonly GptNeoXAttention attention;
    private readonly GptNeoXMlp mlp;
#pragma warning restore IDE1006
    private readonly bool _parallel;

    public GptNeoXLayer(GptNeoXConfig cfg) : base("layer")
    {
        input_layernorm = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        post_attention_layernorm = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        attention = new GptNeoXAttention(cfg);
        mlp = new GptNeoXMlp(cfg);
        _parallel = cfg.UseParallelResidual;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var attn = attention.Forward(input_layernorm.forward(x), cos, sin, mask);
        Tensor result = _parallel
            ? x + attn + mlp.forward(post_attention_layernorm.forward(x))
            : ResidualSequential(x + attn);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The block's output at one column only, [B, D] (the last block at the decision token): attention reads every
    /// position's keys and values, but the query, the MLP and the residual run on that column alone. Equals
    /// <c>Forward(...)[.., column, ..]</c> up to float rounding, for ~¾ less of the block's work.
    /// </summary>
    public Tensor ForwardColumn(Tensor x, long column, Tensor cos, Tensor sin, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var attn = attention.ForwardColumn(input_layernorm.forward(x), column, cos, sin, mask);
        var xc = x[.., column, ..];
        Tensor result = _parallel
            ? xc + attn + mlp.forward(post_attention_layernorm.forward(xc))
            : ResidualSequential(xc + attn);
        return result.MoveToOuterDisposeScope();
    }

    private Tensor ResidualSequential(Tensor h) => h + mlp.forward(post_attention_layernorm.forward(h));
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// Bidirectional multi-head attention (HF <c>attention.self.{query,key,value}</c>): softmax(QKᵀ/√d)V per head,
/// with padded keys masked out. Returns the merged heads before the output projection.
/// </summary>
public sealed class BertSelfAttention : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _headDim;
    private readonly double _dropout;

    public BertSelfAttention(BertConfig cfg) : base("self")
    {
        _heads = cfg.NumHeads;
        _headDim = cfg.HeadDim;
        _dropout = cfg.AttentionDropout;
        query = nn.Linear(cfg.HiddenSize, cfg.HiddenSize);
        key = nn.Linear(cfg.HiddenSize, cfg.HiddenSize);
        value = nn.Linear(cfg.HiddenSize, cfg.HiddenSize);
        RegisterComponents();
    }

    /// <param name="x">[B, T, D]</param>
    /// <param name="keyMask">bool [B, 1, 1, T], true for real tokens: every query attends to real keys only.</param>
    /// <returns>[B, T, D]</returns>
    public Tensor Forward(Tensor x, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.size(0), x.size(1));
        Tensor Heads(Linear proj) => proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2); // [B, H, T, hd]
        // Scale 1/√hd, as HF's eager attention; every row keeps ≥ 1 real key ([CLS]), so no row is all-masked.
        var att = nn.functional.scaled_dot_product_attention(Heads(query), Heads(key), Heads(value), attn_mask: keyMask, p: training ? _dropout : 0);
        return att.transpose(1, 2).reshape(b, t, _heads * _headDim).MoveToOuterDisposeScope();
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// DeBERTa's disentangled self-attention (HF <c>attention.self</c>, spec 04 §3.7.5): content-to-content QKᵀ plus, per
/// pos_att_type, content-to-position (c2p: Q_i · K^r at clamp(δ(i,j) + span)) and position-to-content (p2c: K_j · Q^r at
/// clamp(−δ(j,i) + span)), every term divided by √(head size · (1 + number of position terms)). With share_att_key the
/// relative embeddings go through the content projections, else through pos_key_proj / pos_query_proj.
/// Masked softmax as transformers' XSoftmax: masked scores filled with the float minimum, masked probabilities set to 0.
/// </summary>
public sealed class DisentangledSelfAttention : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear query_proj;
    private readonly Linear key_proj;
    private readonly Linear value_proj;
    private readonly Linear? pos_key_proj;
    private readonly Linear? pos_query_proj;
    private readonly Dropout dropout;
    private readonly Dropout pos_dropout;
#pragma warning restore IDE1006
    private readonly DebertaV2Config _c;

    public DisentangledSelfAttention(DebertaV2Config cfg) : base("self")
    {
        _c = cfg;
        var all = cfg.NumHeads * cfg.HeadSize;
        query_proj = nn.Linear(cfg.HiddenSize, all);
        key_proj = nn.Linear(cfg.HiddenSize, all);
        value_proj = nn.Linear(cfg.HiddenSize, all);
        if (cfg.RelativeAttention && !cfg.ShareAttKey)
        {
            if (cfg.C2P) pos_key_proj = nn.Linear(cfg.HiddenSize, all);
            if (cfg.P2C) pos_query_proj = nn.Linear(cfg.HiddenSize, all);
        }
        dropout = nn.Dropout(cfg.AttentionDropout);
        pos_dropout = nn.Dropout(cfg.HiddenDropout);
        RegisterComponents();
    }

    /// <param name="x">[B, T, D]</param>
    /// <param name="mask">bool [B, 1, T, T]: query i may read key j (both real)</param>
    /// <param name="relativePositions">[T, T] int64 bucketed δ = i − j, or null without relative attention</param>
    /// <param name="relEmbeddings">[2·span, D] (already LayerNorm'ed when norm_rel_ebd says so), or null</param>
    /// <returns>merged heads [B, T, H·hd] before the output projection</returns>
    public Tensor Forward(Tensor x, Tensor mask, Tensor? relativePositions, Tensor? relEmbeddings)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.size(0), x.size(1));
        var q = Heads(query_proj.forward(x));
        var k = Heads(key_proj.forward(x));
        var v = Heads(value_proj.forward(x));
        var factor = 1 + (_c.RelativeAttention && _c.C2P ? 1 : 0) + (_c.RelativeAttention && _c.P2C ? 1 : 0);
        var scale = Math.Sqrt(_c.HeadSize * factor);
        var scores = q.matmul(k.transpose(-1, -2) / scale);
        if (_c.RelativeAttention && relativePositions is not null && relEmbeddings is not null)
            scores = scores + RelativeBias(q, k, relativePositions, pos_dropout.forward(relEmbeddings), scale);
        var filled = scores.masked_fill(mask.logical_not(), float.MinValue);
        var probs = filled.softmax(-1).masked_fill(mask.logical_not(), 0);
        var context = dropout.forward(probs).matmul(v);
        return context.transpose(1, 2).reshape(b, t, _c.NumHeads * _c.HeadSize).MoveToOuterDisposeScope();
    }

    private Tensor RelativeBias(Tensor q, Tensor k, Tensor relativePositions, Tensor rel, double scale)
    {
        var span = _c.AttentionSpan;
        var rows = rel[..(2 * span)].unsqueeze(0);                               // [1, 2S, D]
        var shape = new long[] { q.size(0), q.size(1), q.size(2), k.size(2) };   // [B, H, T, T]
        Tensor bias = zeros(shape, dtype: q.dtype, device: q.device);
        if (_c.C2P)
        {
            var posKey = Heads((_c.ShareAttKey ? key_proj : pos_key_proj!).forward(rows));        // [1, H, 2S, hd]
            var c2p = q.matmul(posKey.transpose(-1, -2));                                         // [B, H, T, 2S]
            var index = (relativePositions + span).clamp(0, 2 * span - 1).expand(shape);
            bias = bias + c2p.gather(-1, index) / scale;
        }
        if (_c.P2C)
        {
            var posQuery = Heads((_c.ShareAttKey ? query_proj : pos_query_proj!).forward(rows));  // [1, H, 2S, hd]
            var p2c = k.matmul(posQuery.transpose(-1, -2));                                       // [B, H, Tk, 2S]
            var index = (-relativePositions + span).clamp(0, 2 * span - 1).expand(shape);        // row j (key), column i (query)
            bias = bias + p2c.gather(-1, index).transpose(-1, -2) / scale;
        }
        return bias;
    }

    /// <summary>[B, T, H·hd] → [B, H, T, hd]</summary>
    private Tensor Heads(Tensor x) => x.view(x.size(0), x.size(1), _c.NumHeads, _c.HeadSize).transpose(1, 2);
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// HF <c>deberta.encoder</c>: the blocks, the relative-position table <c>rel_embeddings</c> [2·span, D] shared by all of them
/// (LayerNorm'ed once per forward when norm_rel_ebd contains layer_norm), and the query×key mask m_i·m_j.
/// </summary>
public sealed class DebertaV2Encoder : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly ModuleList<DebertaV2Layer> layer;
    private readonly Embedding? rel_embeddings;
    private readonly LayerNorm? LayerNorm;
#pragma warning restore IDE1006
    private readonly DebertaV2Config _c;

    public DebertaV2Encoder(DebertaV2Config cfg) : base("encoder")
    {
        _c = cfg;
        layer = new ModuleList<DebertaV2Layer>(Enumerable.Range(0, cfg.NumLayers).Select(_ => new DebertaV2Layer(cfg)).ToArray());
        if (cfg.RelativeAttention)
        {
            rel_embeddings = nn.Embedding(2 * cfg.AttentionSpan, cfg.HiddenSize);
            if (cfg.NormalizeRelativeEmbeddings) LayerNorm = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        }
        RegisterComponents();
    }

    /// <summary>The outputs of blocks <paramref name="fromLayer"/>…<paramref name="toLayer"/> − 1 applied in turn to <paramref name="x"/> [B, T, D].</summary>
    /// <param name="mask">[B, T], 1 = real token</param>
    public List<Tensor> Run(Tensor x, Tensor mask, int fromLayer, int toLayer)
    {
        using var scope = NewDisposeScope();
        var t = (int)x.size(1);
        var m = mask.to(ScalarType.Bool);
        var pairs = (m.unsqueeze(2) & m.unsqueeze(1)).unsqueeze(1);                        // [B, 1, T, T]
        Tensor? relative = null, rel = null;
        if (rel_embeddings is not null)
        {
            relative = RelativePositions.Build(t, t, _c.PositionBuckets, _c.RelativeRange, x.device);
            rel = LayerNorm is null ? rel_embeddings.weight! : LayerNorm.forward(rel_embeddings.weight!);
        }
        var states = new List<Tensor>();
        var h = x;
        for (var i = fromLayer; i < toLayer; i++)
        {
            h = layer[i].Forward(h, pairs, relative, rel);
            states.Add(h.MoveToOuterDisposeScope());
        }
        return states;
    }
}

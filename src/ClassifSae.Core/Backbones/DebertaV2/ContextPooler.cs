using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>HF <c>pooler</c> of DeBERTa (ContextPooler): dropout, dense, exact GELU on the first token's vector.</summary>
public sealed class ContextPooler : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear dense;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public ContextPooler(DebertaV2Config cfg) : base("pooler")
    {
        dense = nn.Linear(cfg.HiddenSize, cfg.PoolerSize);
        dropout = nn.Dropout(cfg.PoolerDropout);
        RegisterComponents();
    }

    /// <param name="first">[B, D]</param>
    public Tensor Forward(Tensor first)
    {
        using var scope = NewDisposeScope();
        return nn.functional.gelu(dense.forward(dropout.forward(first))).MoveToOuterDisposeScope();
    }
}

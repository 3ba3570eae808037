using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>HF <c>intermediate</c>: dense up-projection, then the exact (erf) GELU that config "gelu" means.</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear dense;
#pragma warning restore IDE1006

    public BertIntermediate(BertConfig cfg) : base("intermediate")
    {
        dense = nn.Linear(cfg.HiddenSize, cfg.IntermediateSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = dense.forward(x);
        return nn.functional.gelu(h);
    }
}

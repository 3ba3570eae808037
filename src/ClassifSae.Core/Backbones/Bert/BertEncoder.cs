using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>HF <c>encoder</c>: the stack of blocks, named <c>encoder.layer.{i}</c> in the checkpoint.</summary>
public sealed class BertEncoder : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly ModuleList<BertLayer> layer;
#pragma warning restore IDE1006

    public BertEncoder(BertConfig cfg) : base("encoder")
    {
        layer = new ModuleList<BertLayer>(Enumerable.Range(0, cfg.NumLayers).Select(_ => new BertLayer(cfg)).ToArray());
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var block in layer) h = block.Forward(h, keyMask);
        // The input belongs to the caller: hand back a fresh tensor even with zero blocks (config forbids, but cheap).
        return (ReferenceEquals(h, x) ? h.clone() : h).MoveToOuterDisposeScope();
    }
}

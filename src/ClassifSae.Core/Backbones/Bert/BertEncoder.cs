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

    public Tensor Forward(Tensor x, Tensor keyMask) => Forward(x, keyMask, 0, layer.Count);

    /// <summary>Blocks <paramref name="from"/> … <paramref name="to"/>−1 (a classifier's tail runs the blocks after its hook).</summary>
    public Tensor Forward(Tensor x, Tensor keyMask, int from, int to)
    {
        using var scope = NewDisposeScope();
        var h = x;
        for (var i = from; i < to; i++) h = layer[i].Forward(h, keyMask);
        // The input belongs to the caller: hand back a fresh tensor even when no block runs.
        return (ReferenceEquals(h, x) ? h.clone() : h).MoveToOuterDisposeScope();
    }

    /// <summary>The input and every block's output, transformers' <c>hidden_states</c> order (L+1 tensors).</summary>
    public List<Tensor> States(Tensor x, Tensor keyMask)
    {
        var states = new List<Tensor> { x };
        foreach (var block in layer) states.Add(block.Forward(states[^1], keyMask));
        return states;
    }
}

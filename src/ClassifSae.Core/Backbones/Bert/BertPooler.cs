using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>HF <c>bert.pooler</c>: tanh(dense(h)) of one token's state (the classifier's [CLS], or the cached decision state in the tail).</summary>
public sealed class BertPooler : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear dense;
#pragma warning restore IDE1006

    public BertPooler(BertConfig cfg) : base("pooler")
    {
        dense = nn.Linear(cfg.HiddenSize, cfg.HiddenSize);
        RegisterComponents();
    }

    /// <param name="state">[B, D]</param>
    public override Tensor forward(Tensor state)
    {
        using var h = dense.forward(state);
        return h.tanh();
    }
}

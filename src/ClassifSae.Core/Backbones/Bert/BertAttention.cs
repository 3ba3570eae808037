using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>HF <c>attention</c>: self-attention, then dense + residual + LayerNorm (<c>attention.output</c>).</summary>
public sealed class BertAttention : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    public BertAttention(BertConfig cfg) : base("attention")
    {
        self = new BertSelfAttention(cfg);
        output = new BertResidualOutput(cfg, cfg.HiddenSize);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor keyMask)
    {
        using var att = self.Forward(x, keyMask);
        return output.Forward(att, x);
    }
}

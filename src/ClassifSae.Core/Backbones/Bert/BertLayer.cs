using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>One post-LN BERT block (HF <c>encoder.layer.i</c>): h = LN(x + Attn(x)); out = LN(h + FFN(h)).</summary>
public sealed class BertLayer : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    public BertLayer(BertConfig cfg) : base("layer")
    {
        attention = new BertAttention(cfg);
        intermediate = new BertIntermediate(cfg);
        output = new BertResidualOutput(cfg, cfg.IntermediateSize);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor keyMask)
    {
        using var h = attention.Forward(x, keyMask);
        using var up = intermediate.forward(h);
        return output.Forward(up, h);
    }
}

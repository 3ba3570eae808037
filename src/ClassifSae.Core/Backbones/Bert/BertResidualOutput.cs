using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// Post-LN residual step of BERT, LayerNorm(dense(h) + residual): HF's <c>attention.output</c> (in = hidden)
/// and the block's <c>output</c> (in = intermediate) share this shape and these state-dict names.
/// </summary>
public sealed class BertResidualOutput : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    public BertResidualOutput(BertConfig cfg, int inputSize) : base("output")
    {
        dense = nn.Linear(inputSize, cfg.HiddenSize);
        LayerNorm = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        _dropout = cfg.HiddenDropout;
        RegisterComponents();
    }

    public Tensor Forward(Tensor h, Tensor residual)
    {
        using var projected = nn.functional.dropout(dense.forward(h), _dropout, training);
        using var sum = projected + residual;
        return LayerNorm.forward(sum);
    }
}

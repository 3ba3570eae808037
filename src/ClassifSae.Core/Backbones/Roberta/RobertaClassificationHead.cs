using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Roberta;

/// <summary>HF <c>classifier</c> of RobertaForSequenceClassification on the &lt;s&gt; vector: dropout, dense, tanh, dropout, out_proj.</summary>
public sealed class RobertaClassificationHead : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear dense;
    private readonly Dropout dropout;
    private readonly Linear out_proj;
#pragma warning restore IDE1006

    public RobertaClassificationHead(RobertaConfig cfg) : base("classifier")
    {
        dense = nn.Linear(cfg.HiddenSize, cfg.HiddenSize);
        dropout = nn.Dropout(cfg.ClassifierDropout ?? cfg.HiddenDropout);
        out_proj = nn.Linear(cfg.HiddenSize, cfg.NumLabels);
        RegisterComponents();
    }

    /// <param name="first">[B, D] the first token's final state (or any vector put in its place: the tail)</param>
    public Tensor Forward(Tensor first)
    {
        using var scope = NewDisposeScope();
        var h = dense.forward(dropout.forward(first)).tanh();
        return out_proj.forward(dropout.forward(h)).MoveToOuterDisposeScope();
    }
}

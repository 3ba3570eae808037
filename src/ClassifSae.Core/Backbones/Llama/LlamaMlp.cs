using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Llama;

/// <summary>The SiLU-gated MLP: down(silu(gate(x)) ⊙ up(x)).</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;
#pragma warning restore IDE1006

    public LlamaMlp(LlamaConfig cfg) : base("mlp")
    {
        gate_proj = nn.Linear(cfg.HiddenSize, cfg.IntermediateSize, hasBias: cfg.MlpBias);
        up_proj = nn.Linear(cfg.HiddenSize, cfg.IntermediateSize, hasBias: cfg.MlpBias);
        down_proj = nn.Linear(cfg.IntermediateSize, cfg.HiddenSize, hasBias: cfg.MlpBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x);
        return down_proj.forward(gated).MoveToOuterDisposeScope();
    }
}

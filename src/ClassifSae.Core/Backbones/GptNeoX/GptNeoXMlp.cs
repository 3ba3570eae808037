using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>The block's MLP: dense_h_to_4h, exact (erf) GELU, dense_4h_to_h.</summary>
public sealed class GptNeoXMlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear dense_h_to_4h;
    private readonly Linear dense_4h_to_h;
#pragma warning restore IDE1006

    public GptNeoXMlp(GptNeoXConfig cfg) : base("mlp")
    {
        dense_h_to_4h = nn.Linear(cfg.HiddenSize, cfg.IntermediateSize);
        dense_4h_to_h = nn.Linear(cfg.IntermediateSize, cfg.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = dense_h_to_4h.forward(x);
        using var g = nn.functional.gelu(h);
        return dense_4h_to_h.forward(g);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptJ;

/// <summary>GPT-J's MLP: fc_out(gelu_new(fc_in(x))), both with biases.</summary>
public sealed class GptJMlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Linear fc_in;
    private readonly Linear fc_out;
#pragma warning restore IDE1006

    public GptJMlp(GptJConfig cfg) : base("mlp")
    {
        fc_in = nn.Linear(cfg.HiddenSize, cfg.IntermediateSize);
        fc_out = nn.Linear(cfg.IntermediateSize, cfg.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return fc_out.forward(GeluNew(fc_in.forward(x))).MoveToOuterDisposeScope();
    }

    /// <summary>transformers' <c>gelu_new</c> (the tanh approximation), term by term as it is written there.</summary>
    public static Tensor GeluNew(Tensor x) => 0.5 * x * (1.0 + tanh(Math.Sqrt(2.0 / Math.PI) * (x + 0.044715 * x.pow(3.0))));
}

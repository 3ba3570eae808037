using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Llama;

/// <summary>RMSNorm as transformers' Llama computes it: weight · (x · rsqrt(mean(x²) + ε)), the statistics in float32.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>, INormLayer
{
    private readonly Parameter weight;
    private readonly double _eps;

    public RmsNorm(int size, double eps) : base("RMSNorm")
    {
        weight = new Parameter(ones(size));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var variance = x32.pow(2).mean([-1], keepdim: true);
        var normed = (x32 * (variance + _eps).rsqrt()).to(x.dtype);
        return (weight * normed).MoveToOuterDisposeScope();
    }
}

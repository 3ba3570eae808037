using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.FineTuning;
using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// The fine-tuner's optimizer step alone (FlatAdamW: gradient norm, clip, decoupled decay, both moments, update) over a
/// whole Pythia model's parameters. It is memory-bound, so it counts bytes, not FLOPs: the norm reads g, the fused pass
/// reads p, g, m, v and writes p, m, v (32 bytes per parameter), and its ratio divides by the copy bandwidth of
/// <see cref="MemoryBandwidthCeiling"/>.
/// </summary>
public sealed class AdamWStepCase : IBenchCase
{
    private readonly IClassifierBackbone _model;
    private readonly FlatAdamW _optimizer;
    private readonly string _modelName;
    private readonly long _parameters;

    public AdamWStepCase(string modelName, GptNeoXConfig cfg, long seed = 0)
    {
        _modelName = modelName;
        _model = RandomBackbone.Create(cfg, seed);
        _optimizer = FlatAdamW.ForModel(_model.Module, 0.01);
        _parameters = _optimizer.ParameterCount;
        using var _ = no_grad();
        using var gen = new Generator((ulong)seed + 1);
        foreach (var p in _model.Module.parameters()) p.grad!.copy_(randn(p.shape, generator: gen) * 1e-3);
    }

    public string Name => $"adamw_step_{_modelName}";
    public string Shape => $"{_modelName}, {_parameters / 1e6:F1} M parameters";
    public string Dtype => MemoryBandwidthCeiling.Kind;
    public string FlopFormula => "bytes: 32·P (norm reads g; update reads p, g, m, v, writes p, m, v)";
    public double FlopsPerIteration => 32.0 * _parameters;
    public (double Amount, string Unit) Work => (_parameters / 1e6, "M params");
    public string Notes => "memory-bound: ratio to the copy bandwidth (GB/s in the GFLOP/s columns)";

    public double[] Measure(int warmup, int repetitions) =>
        BenchTimer.Time(() => _optimizer.Step(2e-6, 1.0).Dispose(), warmup, repetitions);

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }
}

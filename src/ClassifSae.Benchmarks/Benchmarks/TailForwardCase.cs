using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// The evaluation ablation unit: <see cref="IClassifierBackbone.Tail"/> from the last block on length-1 sequences, then
/// ln_f and the full unembedding. FLOPs per row: 2·P_block + 2·d·V.
/// </summary>
public sealed class TailForwardCase : IBenchCase
{
    private readonly IClassifierBackbone _model;
    private readonly Tensor _hidden;
    private readonly string _modelName;
    private readonly int _rows;

    public TailForwardCase(string modelName, GptNeoXConfig cfg, int rows, long seed = 0)
    {
        Config = cfg;
        _modelName = modelName;
        _rows = rows;
        _model = RandomBackbone.Create(cfg, seed);
        _model.Module.eval();
        using var gen = new Generator((ulong)seed);
        _hidden = randn([rows, cfg.HiddenSize], generator: gen).to(BenchDevice.Current).DetachFromDisposeScope();
    }

    public GptNeoXConfig Config { get; }
    public string Name => $"tail_forward_{_modelName}";
    public string Shape => $"{_modelName}, last block on {_rows} × 1 token";
    public string Dtype => "float32";
    public string FlopFormula => "(2·P_block + 2·d·V)·rows";
    public double FlopsPerIteration => (2.0 * PythiaShapes.BlockParameters(Config) / Config.NumLayers + PythiaShapes.UnembedFlops(Config)) * _rows;
    public (double Amount, string Unit) Work => (_rows, "rows");
    public string Notes => "the unit an ablation pass repeats";

    public double[] Measure(int warmup, int repetitions) => BenchTimer.Time(() =>
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _model.Tail(_hidden, Config.DecisionHookLayer);
    }, warmup, repetitions);

    public void Dispose()
    {
        _hidden.Dispose();
        _model.Dispose();
    }
}

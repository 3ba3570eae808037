using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// The caching forward (<see cref="IClassifierBackbone.Decision"/> under no_grad, as <c>DecisionPass</c> runs it) on the
/// median-length batch of a test split batched by length. FLOPs: 2·P_blocks·real tokens + 2·d·V per row (the decision
/// column's unembedding); attention scores are not counted, so the ratio is conservative.
/// </summary>
public sealed class CachingForwardCase : IBenchCase
{
    private readonly IClassifierBackbone _model;
    private readonly TokenBatch _batch;
    private readonly int[] _lengths;
    private readonly double _poolWaste;
    private readonly string _modelName;

    public CachingForwardCase(string modelName, GptNeoXConfig cfg, PromptLengths prompts, int splitSize, int batchSize,
        ScalarType dtype = ScalarType.Float32, long seed = 0)
    {
        Config = cfg;
        _modelName = modelName;
        Prompts = prompts;
        Dtype = BenchDtype.Name(dtype);
        var batches = prompts.BatchesByLength(splitSize, batchSize, (int)seed);
        _poolWaste = PromptLengths.PaddingWaste(batches);
        _lengths = batches[batches.Count / 2];
        _model = RandomBackbone.Create(cfg, seed, dtype);
        _model.Module.eval();
        _batch = RandomBackbone.Batch(_model, _lengths, (int)seed);
    }

    public GptNeoXConfig Config { get; }
    public PromptLengths Prompts { get; }
    public string Name => $"cache_forward_{_modelName}_{Prompts.Dataset}" + (Dtype == "float32" ? "" : $"_{Dtype}");
    public string Shape => $"{_modelName}, batch {_lengths.Length} × {_lengths.Min()}–{_lengths.Max()} tokens";
    public string Dtype { get; }
    public string FlopFormula => "2·P_blocks·tokens + 2·d·V·rows";
    public double FlopsPerIteration => 2.0 * PythiaShapes.BlockParameters(Config) * _lengths.Sum() + PythiaShapes.UnembedFlops(Config) * _lengths.Length;
    public (double Amount, string Unit) Work => (_lengths.Sum(), "tokens");
    public string Notes => $"padding waste {_poolWaste:P1} over the split (batched by length); last block at the decision column only: {PythiaShapes.DecisionColumnSkippedShare(Config, _lengths.Sum(), _lengths.Length):P0} of the counted block FLOPs not executed";

    public double[] Measure(int warmup, int repetitions) => BenchTimer.Time(() =>
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _model.Decision(_batch, Config.DecisionHookLayer);
    }, warmup, repetitions);

    public void Dispose()
    {
        _batch.Dispose();
        _model.Dispose();
    }
}

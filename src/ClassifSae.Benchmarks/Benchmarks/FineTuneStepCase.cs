using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.FineTuning;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// One fine-tuning step as <see cref="ClassifierFineTuner.FineTune"/> does it: decision-column logits, cross-entropy,
/// backward, clipping at 1.0, AdamW (with the HF weight-decay groups; the fine-tuner's FlatAdamW, one fused pass). FLOPs: 6·P_blocks·tokens + 6·d·V·rows; AdamW's
/// memory-bound update of all parameters (embeddings included) is timed but not counted.
/// </summary>
public sealed class FineTuneStepCase : IBenchCase
{
    private readonly IClassifierBackbone _model;
    private readonly Tensor _labels;
    private readonly TokenBatch _batch;
    private readonly int[] _lengths;
    private readonly string _modelName;
    private readonly FlatAdamW _optimizer;
    private readonly bool _optimizerStep;

    public FineTuneStepCase(string modelName, GptNeoXConfig cfg, PromptLengths prompts, int batchSize, long seed = 0, bool optimizerStep = true)
    {
        Config = cfg;
        _modelName = modelName;
        _optimizerStep = optimizerStep;
        Prompts = prompts;
        // Fine-tuning draws random batches, so lengths are mixed: take a random (unsorted) draw.
        var random = new Random((int)seed);
        _lengths = Enumerable.Range(0, batchSize).Select(_ => random.Next(prompts.Min, prompts.Max + 1)).ToArray();
        _model = RandomBackbone.Create(cfg, seed);
        _model.Module.train();
        _optimizer = FlatAdamW.ForModel(_model.Module, 0.01);
        _batch = RandomBackbone.Batch(_model, _lengths, (int)seed);
        _labels = zeros(batchSize, dtype: ScalarType.Int64).DetachFromDisposeScope();   // a causal LM reads its targets from the prompts
    }

    public GptNeoXConfig Config { get; }
    public PromptLengths Prompts { get; }
    public string Name => $"finetune_step_{_modelName}_{Prompts.Dataset}" + (_optimizerStep ? "" : "_without_optimizer");
    public string Shape => $"{_modelName}, batch {_lengths.Length} × {_lengths.Min()}–{_lengths.Max()} tokens";
    public string Dtype => "float32";
    public string FlopFormula => "6·P_blocks·tokens + 6·d·V·rows";
    public double FlopsPerIteration => 6.0 * PythiaShapes.BlockParameters(Config) * _lengths.Sum() + 3 * PythiaShapes.UnembedFlops(Config) * _lengths.Length;
    public (double Amount, string Unit) Work => (_lengths.Sum(), "tokens");
    public string Notes => $"padding waste {(double)_lengths.Max() * _lengths.Length / _lengths.Sum() - 1:P0} (random batch); AdamW over {_model.Module.parameters().Sum(p => p.numel()) / 1e6:F0} M params; last block at the decision column only: {PythiaShapes.DecisionColumnSkippedShare(Config, _lengths.Sum(), _lengths.Length):P0} of the counted block FLOPs not executed";

    public double[] Measure(int warmup, int repetitions) => BenchTimer.Time(() =>
    {
        using var scope = NewDisposeScope();
        var loss = _model.FineTuneLoss(_batch, _labels);
        _optimizer.ZeroGrad();
        loss.backward();
        if (!_optimizerStep) return; // forward + backward only: isolates AdamW's share of the step
        _optimizer.Step(2e-6, 1.0).Dispose();
    }, warmup, repetitions);

    public void Dispose()
    {
        _optimizer.Dispose();
        _labels.Dispose();
        _batch.Dispose();
        _model.Dispose();
    }
}

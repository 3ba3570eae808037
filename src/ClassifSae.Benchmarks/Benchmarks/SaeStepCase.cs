using TorchSharp;
using System.Diagnostics;
using ClassifSae.Concepts.Sae;
using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// The real ClassifSAE training step (<see cref="ClassifSaeTrainer"/>: noise, full objective with ghost grads, statistics,
/// backward, clipping, Adam) on random activations, timed between the trainer's per-step callbacks. FLOPs count the dense
/// encoder and decoder, forward and backward: 3 · (2·B·d·d_sae + 2·B·d_sae·d) = 12·B·d·d_sae, as the issue asks, so a
/// sparse decoder can show more than 100 % of the ceiling.
/// </summary>
public sealed class SaeStepCase : IBenchCase
{
    private readonly InMemoryActivationBatches _batches;
    private readonly ClassifSaeOptions _options;
    private readonly List<int> _deadCounts = [];

    public SaeStepCase(int dIn, int batchSize = 500, int rows = 4000, long seed = 0, bool sparseDecoder = true)
    {
        _options = new ClassifSaeOptions
        {
            DIn = dIn, NbClasses = 4, LenEpoch = 120_000, Seed = seed, Settings = new ClassifSaeSettings { BatchSize = batchSize, Steps = 3 },
            // A short dead window makes the ghost-grads path (second, clean encode) run during the timed steps.
            DeadFeatureWindow = 2, HistoryEvery = 1_000_000, SparseDecoder = sparseDecoder,
        };
        using var gen = new Generator((ulong)seed);
        using var x = randn([rows, dIn], generator: gen);
        using var y = randint(0, 4, [rows], generator: gen);
        _batches = new InMemoryActivationBatches(x, y, batchSize, seed);
    }

    public string Name => $"sae_step_d{_options.DIn}" + (_options.SparseDecoder ? "" : "_dense_reference");
    public string Shape => $"B={_options.Settings.BatchSize}, d={_options.DIn}, d_sae={_options.DSae}, k={_options.Settings.K}" + (_options.SparseDecoder ? ", sparse decoder" : ", dense decoder");
    public string Dtype => "float32";
    public string FlopFormula => "12·B·d·d_sae (dense enc+dec, fwd+bwd)";
    public double FlopsPerIteration => 12.0 * _options.Settings.BatchSize * _options.DIn * _options.DSae;
    public (double Amount, string Unit) Work => (_options.Settings.BatchSize, "rows");
    public string Notes => _deadCounts.Count == 0 ? "" : $"ghost grads on, mean dead features {_deadCounts.Average():F0}";

    public double[] Measure(int warmup, int repetitions)
    {
        var steps = warmup + repetitions;
        using var sae = new TopKSae(_options.Shape, _options.Seed);
        if (BenchDevice.IsAccelerator) sae.to(BenchDevice.Current);
        var options = _options with { Settings = _options.Settings with { Steps = Math.Max(3, steps) } };
        if (BenchDevice.IsAccelerator) return MeasureOnAccelerator(sae, options, warmup, repetitions);
        var times = new List<double>(steps);
        var sw = Stopwatch.StartNew();
        var result = ClassifSaeTrainer.Train(sae, _batches, options, report =>
        {
            times.Add(sw.Elapsed.TotalSeconds);
            _deadCounts.Add(report.DeadFeatures);
            sw.Restart();
        });
        result.Sparsity.Dispose();
        result.StepsSinceFired.Dispose();
        return times.Skip(warmup).Take(repetitions).ToArray();
    }

    /// <summary>
    /// On an accelerator the trainer reads its step reports in blocks (no host sync per step), so per-step callbacks
    /// cannot time steps: one run of warm-up steps, then one synchronised run of the timed steps, reported as their mean.
    /// </summary>
    private double[] MeasureOnAccelerator(TopKSae sae, ClassifSaeOptions options, int warmup, int repetitions)
    {
        void Run(int steps)
        {
            var result = ClassifSaeTrainer.Train(sae, _batches, options with { Settings = options.Settings with { Steps = Math.Max(3, steps) } },
                report => _deadCounts.Add(report.DeadFeatures));
            result.Sparsity.Dispose();
            result.StepsSinceFired.Dispose();
        }
        Run(warmup);
        BenchDevice.Synchronize();
        var steps = Math.Max(3, repetitions);
        var sw = Stopwatch.StartNew();
        Run(steps);
        BenchDevice.Synchronize();
        return Enumerable.Repeat(sw.Elapsed.TotalSeconds / steps, repetitions).ToArray();
    }

    public void Dispose() => _batches.Dispose();
}

using System.Diagnostics;
using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Concepts;
using ClassifSae.Concepts.Sae;
using ClassifSae.Evaluation.Causality;
using ClassifSae.Evaluation.Selection;
using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// The conditional-causality pass of the Evaluate stage (<see cref="CausalityAnalysis.Run"/>, each selected concept ablated
/// on the test states where it is active) through the same batched callback EvaluateStage hands it (reconstruct with the
/// SAE, tail from the last block, label-token logits), on a random backbone and a random TopK SAE whose concepts fire at
/// the paper's τ. Its time is compared with ONE forward of the tail over the same N states, timed back-to-back with it
/// (issue 8: the conditional pass ≤ 3× that forward); the per-repetition ratios' median is the <c>ablation_cost_ratio</c>.
/// Run's 4·C category ablations are excluded by passing no segments; one category pass (Run with one single-feature
/// segment, i.e. one ablated pass over all N) is timed once for <c>category_ablation_cost_ratio</c>.
/// </summary>
public sealed class ConditionalAblationCase : IBenchCase, IBenchExtraMetrics
{
    private const int Classes = 4;                  // AG News
    private readonly IClassifierBackbone _model;
    private readonly TopKSae _sae;
    private readonly SaeBottleneck _bottleneck;
    private readonly Tensor _hidden, _labelIds, _keep, _masked, _baseline;
    private readonly long[] _truth;
    private readonly int[] _selected;
    private readonly int[][] _segments;
    private readonly string _modelName;
    private readonly int _rows, _batch;
    private readonly double _tau;
    private readonly List<double> _ratios = [];
    private double _tailSeconds = double.NaN, _categoryRatio = double.NaN, _activeRows;

    /// <param name="rows">test states N (AG News: 7 600)</param>
    /// <param name="batch">the Evaluate stage's batch (paper profile: 256)</param>
    /// <param name="k">TopK k and <paramref name="nConcepts"/> as in the paper profile (10, 20)</param>
    /// <param name="activationRate">share of the states each concept fires on (paper τ = 0.1)</param>
    public ConditionalAblationCase(string modelName, GptNeoXConfig cfg, int rows, int batch = 256, int k = 10, int nConcepts = 20,
        double activationRate = 0.1, long seed = 0)
    {
        Config = cfg;
        _modelName = modelName;
        _rows = rows;
        _batch = batch;
        _tau = activationRate;
        _model = RandomBackbone.Create(cfg, seed);
        _model.Module.eval();
        using var _ = no_grad();
        using var gen = new Generator((ulong)seed);
        _hidden = randn([rows, cfg.HiddenSize], generator: gen).DetachFromDisposeScope();
        using (var t = randint(0, Classes, [rows], generator: gen)) _truth = t.data<long>().ToArray();
        _labelIds = tensor(Enumerable.Range(0, Classes).Select(c => cfg.VocabSize / 2L + c).ToArray());   // any 4 token ids
        _sae = RandomConceptSae.Create(new SaeShape(cfg.HiddenSize, 2 * cfg.HiddenSize, k, nConcepts, Classes), _hidden, activationRate, seed);
        _bottleneck = new SaeBottleneck(_sae);

        using var activations = Batched.Apply(_hidden, batch, _bottleneck.Activations);
        _selected = ConceptSelection.Select(activations, Enumerable.Range(0, nConcepts).ToArray());
        _segments = ConceptSelection.Segment(activations, _truth, Classes, _selected);
        _keep = zeros(activations.size(1), dtype: ScalarType.Bool);
        foreach (var j in _selected) _keep[j] = true;
        _masked = activations * _keep.to(activations.dtype);
        _baseline = AblatedLogits(_hidden, _keep);
    }

    public GptNeoXConfig Config { get; }
    public string Name => $"ablation_conditional_{_modelName}";
    public string Shape => $"{_modelName}, N={_rows} states, {_selected.Length} concepts at τ={_tau:P0}, d_sae={_sae.Shape.DSae}, k={_sae.Shape.K}, batch {_batch}";
    public string Dtype => "float32";
    public string FlopFormula => "Σ_j active_j·(2·P_block + 2·d·labels + 4·d·d_sae)";
    public double FlopsPerIteration => _activeRows * RowFlops;
    public (double Amount, string Unit) Work => (_activeRows, "ablated rows");

    public string Notes => _ratios.Count == 0 ? "" :
        $"**conditional pass = {AblationCostRatio:F2}× one tail forward over the N states** (target ≤ 3; tail {_tailSeconds:F2} s); " +
        $"Σ_j active_j / N = {_activeRows / _rows:F2}; one category pass (SAE + tail over all N) = {_categoryRatio:F2}×, " +
        $"so Run with its {CategoryPasses} category passes ≈ {AblationCostRatio + CategoryPasses * _categoryRatio:F1}× (derived)";

    public IReadOnlyList<BenchMetric> ExtraMetrics =>
    [
        new("ablation_cost_ratio", AblationCostRatio),
        new("category_ablation_cost_ratio", _categoryRatio),
        new("ablated_rows_per_state", _activeRows / _rows),
    ];

    private double AblationCostRatio => _ratios.Count == 0 ? double.NaN : BenchTimer.Median(_ratios);

    private double RowFlops => 2.0 * PythiaShapes.BlockParameters(Config) / Config.NumLayers + 2.0 * Config.HiddenSize * Classes
                               + 4.0 * Config.HiddenSize * _sae.Shape.DSae;

    /// <summary>Category passes Run makes: one per (class, percentage) whose share of the segment is at least one feature.</summary>
    private int CategoryPasses => _segments.Sum(s => CausalityAnalysis.Percentages.Count(q => q * s.Length / 100 > 0));

    public double[] Measure(int warmup, int repetitions)
    {
        // Warm-up on a slice: it exercises every path and the allocator without costing full passes at N = 7 600.
        var slice = (int)Math.Min(_rows, 2L * _batch);
        for (var i = 0; i < warmup; i++)
        {
            Timed(() => TailPass(_hidden.narrow(0, 0, slice)));
            Timed(() => ConditionalPass(slice));
        }
        var seconds = new double[repetitions];
        var tails = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            tails[i] = Timed(() => TailPass(_hidden));
            seconds[i] = Timed(() => ConditionalPass(_rows));
            _ratios.Add(seconds[i] / tails[i]);
        }
        _tailSeconds = BenchTimer.Median(tails);
        _categoryRatio = Timed(CategoryPass) / _tailSeconds;
        return seconds;
    }

    /// <summary>The Evaluate stage's callback: reconstruct the kept features, tail from the hook layer, label logits.</summary>
    private Tensor AblatedLogits(Tensor hidden, Tensor keep) =>
        Evaluation.Completeness.BottleneckLogits.For(_bottleneck, _model, _labelIds, _batch, CPU)(hidden, keep);

    /// <summary>The unit of the target: one forward of the tail over the states, in the same batches, nothing ablated.</summary>
    private void TailPass(Tensor hidden) => Batched.Apply(hidden, _batch, part =>
    {
        return _model.Tail(part, Config.DecisionHookLayer, _labelIds);
    });

    private void ConditionalPass(int rows)
    {
        var result = CausalityAnalysis.Run(_hidden.narrow(0, 0, rows), _keep, _masked.narrow(0, 0, rows), _baseline.narrow(0, 0, rows),
            _truth.Take(rows).ToArray(), _selected, [], AblatedLogits);
        if (rows == _rows) _activeRows = result.Conditional.Sum(c => (double)c.Active);
    }

    /// <summary>One category ablation: a one-feature segment is ablated only at 100 %, i.e. exactly one pass over all N.</summary>
    private void CategoryPass()
    {
        var segment = _segments.First(s => s.Length > 0);
        CausalityAnalysis.Run(_hidden, _keep, _masked, _baseline, _truth, [], [[segment[0]]], AblatedLogits);
    }

    private static double Timed(Action pass)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var sw = Stopwatch.StartNew();
        pass();
        return sw.Elapsed.TotalSeconds;
    }

    public void Dispose()
    {
        foreach (var t in new[] { _hidden, _labelIds, _keep, _masked, _baseline }) t.Dispose();
        _sae.Dispose();
        _model.Dispose();
    }
}

using ClassifSae.Benchmarks;
using ClassifSae.Concepts.Sae;
using ClassifSae.Results;
using ClassifSae.Tests.Backbones;
using ClassifSae.Tests.Results;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Benchmarks;

public class ConditionalAblationCaseTests
{
    [Fact]
    public void Random_concept_sae_fires_each_concept_on_the_requested_share_of_states()
    {
        using var hidden = randn(2000, 32, generator: new Generator(3));
        var shape = new SaeShape(32, 64, 10, 8, 4);
        using var sae = RandomConceptSae.Create(shape, hidden, 0.3, seed: 1);
        using var _ = no_grad();
        using var z = sae.Encode(hidden).Z;
        using var rates = z.gt(0).to(ScalarType.Float64).mean([0]);
        var r = rates.data<double>().ToArray();
        // Every concept near τ (an uncalibrated random SAE puts them near k/d_sae = 0.16); the TopK budget k per row still holds.
        Assert.All(r.Take(shape.NConcepts), v => Assert.InRange(v, 0.27, 0.33));
        Assert.Equal(10.0, r.Sum(), 1);
    }

    [Fact]
    public void Case_times_the_conditional_pass_and_stores_its_ratio_to_one_tail_forward()
    {
        var cfg = TinyGptNeoX.Config(vocab: 64);
        var spec = new BenchCaseSpec("ablation_conditional_tiny", () => new ConditionalAblationCase("tiny", cfg, 400, batch: 64, nConcepts: 10), 1, 2);
        var (env, results) = BenchRunner.Run([], [spec]);
        var row = Assert.Single(results);
        var extra = row.Extra.ToDictionary(m => m.Metric, m => m.Value);
        // 10 concepts each active on ≈ 10 % of the states: the conditional pass ablates ≈ 1 row per state (k/d_sae would give 0.16·10).
        Assert.InRange(extra["ablated_rows_per_state"], 0.95, 1.05);
        Assert.True(extra["ablation_cost_ratio"] > 0 && double.IsFinite(extra["ablation_cost_ratio"]), row.Notes);
        Assert.True(extra["category_ablation_cost_ratio"] > 0, row.Notes);
        Assert.Equal(400.0 * extra["ablated_rows_per_state"] * (2.0 * PythiaShapes.BlockParameters(cfg) / cfg.NumLayers + 2.0 * 32 * 4 + 4.0 * 32 * 64), row.FlopsPerIteration, 1e-6);

        using var folder = new TempFolder();
        using var store = ResultsStore.Open(folder.File("bench.duckdb"));
        var runId = BenchStore.Record(store, env, results, DateTime.UtcNow);
        var stored = store.Query($"SELECT value FROM metrics WHERE run_id = '{runId}' AND metric = 'ablation_cost_ratio' AND method = 'ablation_conditional_tiny'");
        Assert.Equal(extra["ablation_cost_ratio"], Convert.ToDouble(stored.Rows[0][0]), 9);
    }
}

using ClassifSae.Benchmarks;
using ClassifSae.Results;
using ClassifSae.Tests.Results;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Benchmarks;

public class BenchHarnessTests
{
    [Fact]
    public void Median_of_odd_and_even_counts()
    {
        Assert.Equal(2.0, BenchTimer.Median([3.0, 1.0, 2.0]));
        Assert.Equal(2.5, BenchTimer.Median([4.0, 1.0, 2.0, 3.0]));
    }

    [Fact]
    public void Padding_waste_of_length_sorted_batches_is_small()
    {
        var batches = PromptLengths.AgNews.BatchesByLength(7600, 32, seed: 0);
        Assert.InRange(PromptLengths.PaddingWaste(batches), 0.0, 0.02);
        Assert.Equal(1.0 / 3, PromptLengths.PaddingWaste([[2, 4]]), 6); // 8 padded slots for 6 real tokens
    }

    [Fact]
    public void Pythia_70m_block_parameters_match_the_published_count()
    {
        // Pythia-70m: 70 426 624 parameters in all; minus 2 embeddings (2·50304·512) and ln_f (2·512).
        var cfg = PythiaShapes.Pythia70m;
        Assert.Equal(70_426_624L - 2L * 50304 * 512 - 2 * 512, PythiaShapes.BlockParameters(cfg));
    }

    [Fact]
    public void The_decision_pass_skips_three_quarters_of_the_last_block_beyond_the_decision_rows()
    {
        // Pythia-70m, 500 tokens in 8 prompts: per block 3 152 384 parameters, fused QKV 787 968 (kept for every token).
        Assert.Equal((3152384.0 - 787968) * 492 / (6 * 3152384.0 * 500), PythiaShapes.DecisionColumnSkippedShare(PythiaShapes.Pythia70m, 500, 8), 12);
        Assert.Equal(0.1230, PythiaShapes.DecisionColumnSkippedShare(PythiaShapes.Pythia70m, 500, 8), 4);
        Assert.Equal(0.0, PythiaShapes.DecisionColumnSkippedShare(PythiaShapes.Pythia70m, 8, 8), 12);   // one token per prompt: nothing to skip
    }

    [Fact]
    public void Quick_bench_measures_every_case_and_records_it()
    {
        var cases = BenchSuite.Cases(quick: true).Where(c => c.Name.StartsWith("sae", StringComparison.Ordinal) || c.Name.StartsWith("tail", StringComparison.Ordinal)).ToList();
        var (env, results) = BenchRunner.Run(BenchSuite.Ceilings(quick: true), cases);
        Assert.Equal(2 + cases.Count, results.Count);
        Assert.All(results, r => Assert.True(double.IsFinite(r.Ratio) && r.Ratio > 0, $"{r.Name}: {r.Notes}"));
        Assert.Equal(get_num_threads(), env.IntraOpThreads);

        var md = BenchMarkdown.Format(env, results, "test");
        Assert.Contains("| sae_step_d64 |", md);
        using var folder = new TempFolder();
        using var store = ResultsStore.Open(folder.File("bench.duckdb"));
        var runId = BenchStore.Record(store, env, results, DateTime.UtcNow);
        var rows = store.Query($"SELECT count(*) FROM metrics WHERE run_id = '{runId}' AND metric = 'ratio_to_matmul_ceiling'");
        Assert.Equal(results.Count, Convert.ToInt32(rows.Rows[0][0]));
        var profile = store.Query($"SELECT profile FROM runs WHERE run_id = '{runId}'");
        Assert.Equal("bench", profile.Rows[0][0]);
    }
}

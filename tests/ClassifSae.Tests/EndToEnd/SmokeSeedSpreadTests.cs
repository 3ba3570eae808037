using System.Globalization;
using ClassifSae.Results;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>
/// The smoke claims (ClassifSAE ahead of the plain SAE on conditional causality and ConceptSim) asserted on three seeds
/// against the seed-to-seed spread, not on one seed where a rounding change can move them; and the README table's
/// command printing those seeds' mean ± spread.
/// </summary>
public sealed class SmokeSeedSpreadTests(SmokeSeedsRun run) : IClassFixture<SmokeSeedsRun>
{
    private static readonly string[] ClaimMetrics = ["cond_label_flip_rate", "cond_tvd", "conceptsim_weighted"];

    private List<double> PerSeed(string method, string metric)
    {
        using var store = ResultsStore.OpenReadOnly(run.Context.StorePath);
        var rows = store.Query("""
            SELECT seed, value FROM latest_metrics WHERE method = $method AND metric = $metric AND split = 'test' ORDER BY seed
            """, new Dictionary<string, object?> { ["method"] = method, ["metric"] = metric }).Rows;
        Assert.Equal(SmokeSeedsRun.Seeds, rows.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)));
        return rows.Select(r => Convert.ToDouble(r[1], CultureInfo.InvariantCulture)).ToList();
    }

    private static double Mean(IReadOnlyList<double> v) => v.Average();

    private static double SampleSd(IReadOnlyList<double> v)
    {
        var m = Mean(v);
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }

    private string Numbers() => string.Join("; ", ClaimMetrics.Select(metric =>
    {
        var (cs, sae) = (PerSeed("classifsae", metric), PerSeed("sae", metric));
        return $"{metric}: ClassifSAE {Mean(cs):F4} ± {SampleSd(cs):F4} [{string.Join(", ", cs.Select(x => x.ToString("F4", CultureInfo.InvariantCulture)))}] " +
               $"vs SAE {Mean(sae):F4} ± {SampleSd(sae):F4} [{string.Join(", ", sae.Select(x => x.ToString("F4", CultureInfo.InvariantCulture)))}]";
    }));

    private void AssertLeadAboveSpread(string metric)
    {
        var (cs, sae) = (PerSeed("classifsae", metric), PerSeed("sae", metric));
        var lead = Mean(cs) - Mean(sae);
        var spread = Math.Max(SampleSd(cs), SampleSd(sae));
        Assert.True(lead > spread, $"{metric}: lead {lead:F4} is not above the seed spread {spread:F4}. {Numbers()}");
    }

    [Fact]
    public void ClassifSae_leads_the_plain_sae_on_conceptsim_by_more_than_the_seed_spread() => AssertLeadAboveSpread("conceptsim_weighted");

    // Findings (issue 18), not tuned away; measured on seeds 42, 43, 44 (2 threads, CPU): Δf_cond ClassifSAE 0.0878 ± 0.1209
    // [0.0117, 0.2272, 0.0246] vs SAE 0.0410 ± 0.0709 [0, 0.1229, 0]; TVD_cond 0.1172 ± 0.0948 [0.0621, 0.2267, 0.0628] vs
    // 0.0243 ± 0.0330 [0.0084, 0.0623, 0.0023]. ClassifSAE is ahead on every seed, but seed 43 moves both methods by ~0.1-0.2,
    // so the lead is not above the seed spread. ConceptSim: 0.1820 ± 0.0049 vs 0.1758 ± 0.0022 (holds, asserted above).
    [Fact(Skip = "Finding (issue 18): on 3 smoke seeds ClassifSAE's Δf_cond lead (0.047) is below the seed spread (0.121); see the comment for the numbers")]
    public void ClassifSae_leads_the_plain_sae_on_conditional_flip_rate_by_more_than_the_seed_spread() => AssertLeadAboveSpread("cond_label_flip_rate");

    [Fact(Skip = "Finding (issue 18): on 3 smoke seeds ClassifSAE's TVD_cond lead (0.093) is just below the seed spread (0.095); see the comment for the numbers")]
    public void ClassifSae_leads_the_plain_sae_on_conditional_tvd_by_more_than_the_seed_spread() => AssertLeadAboveSpread("cond_tvd");

    [Fact]
    public void ClassifSae_is_ahead_of_the_plain_sae_on_every_seed_on_each_claim()
    {
        foreach (var metric in ClaimMetrics)
        {
            var (cs, sae) = (PerSeed("classifsae", metric), PerSeed("sae", metric));
            Assert.True(cs.Zip(sae).All(p => p.First > p.Second), $"{metric}: not ahead on every seed. {Numbers()}");
        }
    }

    [Fact]
    public void The_summary_command_prints_the_three_seeds_mean_and_spread()
    {
        using var store = ResultsStore.OpenReadOnly(run.Context.StorePath);
        var text = MethodSummaryTable.Markdown(store, "smoke");
        Assert.Contains("seeds 42, 43, 44 (mean ± sample sd over seeds)", text);
        var flips = PerSeed("classifsae", "cond_label_flip_rate");
        var expected = $"{Mean(flips).ToString("F3", CultureInfo.InvariantCulture)} ± {SampleSd(flips).ToString("F3", CultureInfo.InvariantCulture)}";
        var row = text.Split('\n').Single(l => l.StartsWith("| classifsae |", StringComparison.Ordinal));
        Assert.Equal(expected, row.Split('|')[5].Trim()); // the Δf_cond column
    }
}

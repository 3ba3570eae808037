using ClassifSae.Results;
using ClassifSae.Tests.Cli;

namespace ClassifSae.Tests.Results;

/// <summary><c>classifsae summary</c>: the README's per-method table, rebuilt from the store with known values.</summary>
public sealed class MethodSummaryTableTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_newest_run_of_a_profile_prints_as_the_readme_table_with_cpu_and_threads()
    {
        var path = _dir.File("s.duckdb");
        using (var store = ResultsStore.Open(path))
        {
            // An older run of the same cell: superseded, must not show.
            var old = SampleRecords.Run("smoke/tiny/planted/seed42/old", seed: 42, method: null, model: "tiny", dataset: "planted",
                createdAt: new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            store.RecordRun(old);
            store.AppendMetrics([Metric(old, "classifsae", "recovery_accuracy", 0.5)]);

            var run = SampleRecords.Run("smoke/tiny/planted/seed42/new", seed: 42, method: null, model: "tiny", dataset: "planted",
                createdAt: new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc)) with { CpuModel = "Test CPU 9000", Threads = 2 };
            store.RecordRun(run);
            store.AppendMetrics(
            [
                Metric(run, "classifsae", "recovery_accuracy", 1.0), Metric(run, "classifsae", "avg_activation_rate_pct", 20.54),
                Metric(run, "classifsae", "max_activation_rate_pct", 25.0), Metric(run, "classifsae", "n_selected_features", 11),
                Metric(run, "classifsae", "cond_label_flip_rate", 0.0254), Metric(run, "classifsae", "cond_tvd", 0.075),
                Metric(run, "classifsae", "global_label_flip_100pct", 0.1875), Metric(run, "classifsae", "conceptsim_weighted", 0.184, "builtin:tfidf-svd-128"),
                Metric(run, "classifsae", "sentencesim_k1", 0.145, "builtin:tfidf-svd-128"), Metric(run, "classifsae", "sentencesim_k4", 0.229, "builtin:tfidf-svd-128"),
                Metric(run, "classifsae", "top_sentence_subtopic_purity", 0.882),
                Metric(run, "classifsae", "recovery_accuracy", 0.25, split: "validation"),
                Metric(run, "ica", "recovery_accuracy", 0.75), Metric(run, "ica", "n_selected_features", 16),
            ]);
            store.ReplaceConcepts(run.RunId, "classifsae",
                Enumerable.Range(0, 16).Select(j => new ConceptRecord(run.RunId, "classifsae", j, 16, j < 11)).ToList(), []);
        }

        using var readOnly = ResultsStore.OpenReadOnly(path);
        var expected = """
            Profile `smoke`, tiny × planted, seed 42: Test CPU 9000, 2 threads, device cpu, commit abc1234, sentence encoder builtin:tfidf-svd-128.

            | method | recovery acc. | avg / max activation rate (%) | live concepts | Δf_cond | TVD_cond | 100 % segment-ablation flip rate | ConceptSim (weighted) | SentenceSim(1) / (4) | sub-topic purity of top sentences |
            |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
            | classifsae | 1.000 | 20.5 / 25.0 | 11 of 16 | 0.025 | 0.075 | 0.188 | 0.184 | 0.145 / 0.229 | 0.882 |
            | ica | 0.750 | — / — | 16 | — | — | — | — | — / — | — |


            """.ReplaceLineEndings("\n");
        Assert.Equal(expected, MethodSummaryTable.Markdown(readOnly, "smoke"));
        Assert.StartsWith("No runs of profile 'paper'", MethodSummaryTable.Markdown(readOnly, "paper"));

        var cli = CliProcess.Run(_dir.Path, "summary", "--profile", "smoke", "--store", path);
        Assert.True(cli.ExitCode == 0, cli.Output);
        Assert.Equal(expected, cli.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Seeds_are_averaged_and_listed()
    {
        var path = _dir.File("seeds.duckdb");
        using (var store = ResultsStore.Open(path))
            foreach (var (seed, value) in new[] { (1, 0.5), (2, 0.75) })
            {
                var run = SampleRecords.Run($"smoke/tiny/planted/seed{seed}/h", seed: seed, method: null, model: "tiny", dataset: "planted");
                store.RecordRun(run);
                store.AppendMetrics([Metric(run, "sae", "recovery_accuracy", value)]);
            }
        using var readOnly = ResultsStore.OpenReadOnly(path);
        var text = MethodSummaryTable.Markdown(readOnly, "smoke");
        Assert.Contains("seeds 1, 2 (mean ± sample sd over seeds): unknown CPU, 2 threads", text);
        // mean (0.5 + 0.75) / 2; sample sd |0.75 - 0.5| / √2 = 0.1768
        Assert.Contains("| sae | 0.625 ± 0.177 |", text);
    }

    private static MetricRow Metric(RunRecord run, string method, string metric, double value, string? encoder = null, string split = "test") =>
        SampleRecords.Metric(run, metric, value, split: split, method: method, sameMethodAsRun: false) with { Encoder = encoder };
}

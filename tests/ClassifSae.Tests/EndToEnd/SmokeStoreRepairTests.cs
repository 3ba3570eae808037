using ClassifSae.Pipeline;
using ClassifSae.Results;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>
/// The real smoke run's four stages, ingested into fresh stores with a fault at each store write point: the rerun
/// (which ingests the up-to-date stages again as skipped) leaves exactly the row counts of an uninterrupted ingest.
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed class SmokeStoreRepairTests(SmokeRun run)
{
    private static readonly string[] Tables = ["runs", "stages", "metrics", "artefacts", "concepts", "top_sentences", "concept_effects", "concept_histograms", "training_curves", "confusion"];

    [Fact]
    public void A_fault_at_any_store_write_is_repaired_by_the_rerun_with_no_row_lost()
    {
        List<StageCompletion> stages;
        lock (run.Completions) stages = run.Completions.Take(4).ToList();
        var expected = Counts(Ingest("clean", stages, skipped: false));
        Assert.Equal(4L, expected["stages"]);
        Assert.All(Tables, t => Assert.True(expected[t] > 0, $"{t} is empty after an uninterrupted ingest"));

        foreach (var point in new[] { StoreFaults.AfterRun, StoreFaults.AfterMetrics, StoreFaults.AfterArtefacts, StoreFaults.AfterConcepts, StoreFaults.BeforeCommit })
            foreach (var mode in new[] { "", "@disk-full" })
            {
                var path = StorePath($"{point.Replace(':', '-')}{mode}");
                var failures = 0;
                using (StoreFaults.Inject(point + mode))
                    foreach (var stage in stages)
                    {
                        try { new StoreIngest(run.Context with { StorePath = path }).Record(stage); }
                        catch (Exception e) when (e is InjectedFaultException or IOException) { failures++; }
                    }
                Assert.True(failures > 0, $"{point}{mode} never fired");
                Ingest(path, stages, skipped: true);
                Assert.Equal(expected, Counts(path));
                Ingest(path, stages, skipped: true); // a further rerun adds nothing
                Assert.Equal(expected, Counts(path));
            }
    }

    [Fact]
    public void Ingest_reads_only_the_evaluate_folder_and_stores_paths_relative_to_the_runs_folder()
    {
        List<StageCompletion> stages;
        lock (run.Completions) stages = run.Completions.Take(4).ToList();
        using var store = ResultsStore.OpenReadOnly(Ingest("relative", stages, skipped: false));
        var concepts = store.Query("""
            SELECT method, count(pca_x), count(activation_rate_pct), any_value(activation_rate_source) FROM concepts GROUP BY method ORDER BY method
            """).Rows.ToDictionary(r => (string)r[0]!, r => (Pca: Convert.ToInt64(r[1]), Rates: Convert.ToInt64(r[2]), Source: r[3] as string));
        // Evaluate wrote PCA coordinates and the trainer's activation rates for the SAE methods, nothing for the others.
        Assert.True(concepts["classifsae"].Pca > 0 && concepts["sae"].Pca > 0);
        Assert.Equal("train/classifsae/sparsity.safetensors", concepts["classifsae"].Source);
        Assert.True(concepts["sae"].Rates > 0);
        Assert.Equal((0L, 0L), (concepts["ica"].Pca, concepts["ica"].Rates));

        var paths = store.Query("SELECT path FROM artefacts UNION ALL SELECT manifest_path FROM stages").Rows.Select(r => (string)r[0]!).ToList();
        Assert.All(paths, p =>
        {
            Assert.False(Path.IsPathRooted(p), p);
            Assert.True(File.Exists(Path.Combine(run.Context.RunsDir, p)), p);
        });
    }

    private string StorePath(string name) => Path.Combine(run.Root, "repair", name + ".duckdb");

    private string Ingest(string nameOrPath, IEnumerable<StageCompletion> stages, bool skipped)
    {
        var path = Path.IsPathRooted(nameOrPath) ? nameOrPath : StorePath(nameOrPath);
        var ingest = new StoreIngest(run.Context with { StorePath = path });
        foreach (var stage in stages) ingest.Record(stage with { Skipped = skipped });
        return path;
    }

    private static Dictionary<string, long> Counts(string path)
    {
        using var store = ResultsStore.OpenReadOnly(path);
        return Tables.ToDictionary(t => t, t => Convert.ToInt64(store.Query($"SELECT count(*) FROM {t}").Rows[0][0]));
    }
}

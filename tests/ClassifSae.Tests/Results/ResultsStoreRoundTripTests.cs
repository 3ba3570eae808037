using ClassifSae.Results;

namespace ClassifSae.Tests.Results;

public class ResultsStoreRoundTripTests
{
    [Fact]
    public void RunRoundTripsExactlyAndUpsertReplaces()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var run = SampleRecords.Run("r1", seed: 3, createdAt: new DateTime(2025, 6, 7, 8, 9, 10, DateTimeKind.Utc).AddTicks(1234567)) with { GitCommit = null, CpuModel = "Test CPU 9000" };
        store.RecordRun(run);

        var row = store.Query("SELECT * FROM runs").Rows.Single();
        Assert.Equal(
            new object?[] { "r1", "smoke", "bert-base", "ag_news", "classifsae", 3, """{"lr":0.001}""", "hash-r1", null,
                run.VersionsJson, "cpu", "float32", 2, new DateTime(2025, 6, 7, 8, 9, 10, DateTimeKind.Utc).AddTicks(1234560), "Test CPU 9000", "paper-2025", null },
            row);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)row[13]!).Kind);

        store.RecordRun(run with { Device = "cuda:0", Method = null });
        var again = store.Query("SELECT device, method FROM runs").Rows.Single();
        Assert.Equal(new object?[] { "cuda:0", null }, again);
    }

    [Fact]
    public void MetricsRoundTripExactly()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var run = SampleRecords.Run("r1");
        store.RecordRun(run);
        var recorded = new DateTime(2025, 1, 2, 3, 4, 6, DateTimeKind.Utc);
        store.AppendMetrics([
            new MetricRow("r1", "evaluate", "bert-base", "ag_news", "classifsae", 0, "test", "recovery_accuracy", 0.1 + 0.2, 3, recorded),
            new MetricRow("r1", "finetune", "bert-base", "ag_news", null, 0, "test", "finetune_test_accuracy", double.Epsilon, 1, recorded),
        ]);

        var rows = store.Query("SELECT run_id, stage, model, dataset, method, seed, split, metric, value, formula_version, recorded_at FROM metrics ORDER BY metric").Rows;
        Assert.Equal(new object?[] { "r1", "finetune", "bert-base", "ag_news", null, 0, "test", "finetune_test_accuracy", double.Epsilon, 1, recorded }, rows[0]);
        Assert.Equal(new object?[] { "r1", "evaluate", "bert-base", "ag_news", "classifsae", 0, "test", "recovery_accuracy", 0.1 + 0.2, 3, recorded }, rows[1]);
    }

    [Fact]
    public void StageUpsertKeepsOneRowPerRunAndStage()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        store.RecordRun(SampleRecords.Run("r1"));
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        store.RecordStage(new StageRecord("r1", "train_sae", "running", start));
        store.RecordStage(new StageRecord("r1", "train_sae", "succeeded", start, start.AddSeconds(90.5), 90.5, "/runs/r1/train_sae/manifest.json"));

        var row = store.Query("SELECT status, started_at, finished_at, seconds, manifest_path FROM stages").Rows.Single();
        Assert.Equal(new object?[] { "succeeded", start, start.AddSeconds(90.5), 90.5, "/runs/r1/train_sae/manifest.json" }, row);
    }

    [Fact]
    public void AppendsFromSeveralOpeningsKeepAllRows()
    {
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        for (var i = 0; i < 3; i++)
        {
            using var store = ResultsStore.Open(path);
            var run = SampleRecords.Run($"r{i}", seed: i);
            store.RecordRun(run);
            store.AppendMetrics([SampleRecords.Metric(run, "recovery_accuracy", 0.5 + i), SampleRecords.Metric(run, "avg_activation_rate", i)]);
        }

        using var reopened = ResultsStore.Open(path);
        Assert.Equal(3L, Convert.ToInt64(reopened.Query("SELECT count(*) FROM runs").Rows[0][0]));
        var values = reopened.Query("SELECT value FROM metrics WHERE metric = 'recovery_accuracy' ORDER BY value").Rows.Select(r => (double)r[0]!);
        Assert.Equal([0.5, 1.5, 2.5], values);
        Assert.Equal(6L, Convert.ToInt64(reopened.Query("SELECT count(*) FROM metrics").Rows[0][0]));
    }

    [Fact]
    public void MetricsForUnknownRunAreRejectedWithoutPartialWrites()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var run = SampleRecords.Run("r1");
        store.RecordRun(run);
        var e = Assert.Throws<InvalidOperationException>(() => store.AppendMetrics([
            SampleRecords.Metric(run, "recovery_accuracy", 0.9),
            SampleRecords.Metric(run with { RunId = "missing" }, "recovery_accuracy", 0.8),
        ]));
        Assert.Contains("'missing'", e.Message);
        Assert.Equal(0L, Convert.ToInt64(store.Query("SELECT count(*) FROM metrics").Rows[0][0]));
    }

    [Fact]
    public void NonSnakeCaseMetricNameIsRejected()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var run = SampleRecords.Run("r1");
        store.RecordRun(run);
        Assert.Throws<ArgumentException>(() => store.AppendMetrics([SampleRecords.Metric(run, "RecoveryAccuracy", 0.9)]));
    }

    [Fact]
    public void LatestMetricsPicksTheNewestRunPerKey()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var old = SampleRecords.Run("old", createdAt: new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var @new = SampleRecords.Run("new", createdAt: new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc));
        store.RecordRun(@new);
        store.RecordRun(old);
        store.AppendMetrics([SampleRecords.Metric(@new, "recovery_accuracy", 0.9)]);
        store.AppendMetrics([SampleRecords.Metric(old, "recovery_accuracy", 0.1), SampleRecords.Metric(old, "avg_activation_rate", 0.2)]);

        var rows = store.Query("SELECT metric, value, run_id FROM latest_metrics ORDER BY metric").Rows;
        Assert.Equal(new object?[] { "avg_activation_rate", 0.2, "old" }, rows[0]);
        Assert.Equal(new object?[] { "recovery_accuracy", 0.9, "new" }, rows[1]);
    }

    [Fact]
    public void QueryBindsParameters()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var result = store.Query("SELECT $a + 1 AS x, $b AS y", new Dictionary<string, object?> { ["a"] = 41, ["b"] = null });
        Assert.Equal(["x", "y"], result.Columns);
        Assert.Equal(42, Convert.ToInt32(result.Rows[0][0]));
        Assert.Null(result.Rows[0][1]);
    }
}

using ClassifSae.Results;

namespace ClassifSae.Tests.Results;

/// <summary>
/// A stage's ingest is one transaction: a crash (exception) or a full disk at any write point leaves no row of it, and
/// recording it again — what the rerun of a skipped stage does — gives the same row counts as an uninterrupted run.
/// </summary>
[Collection(StoreFaultCollection.Name)]
public sealed class StageBatchFaultTests : IDisposable
{
    private static readonly string[] Tables = ["runs", "stages", "metrics", "artefacts", "concepts", "top_sentences"];
    private static readonly string[] IngestPoints =
        [StoreFaults.AfterRun, StoreFaults.AfterMetrics, StoreFaults.AfterArtefacts, StoreFaults.AfterConcepts, StoreFaults.BeforeCommit];

    private readonly TempFolder _dir = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(StoreFaults.Variable, null);
        _dir.Dispose();
    }

    public static TheoryData<string, string> Faults()
    {
        var data = new TheoryData<string, string>();
        foreach (var point in IngestPoints)
        {
            data.Add(point, "");
            data.Add(point, "@disk-full");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_fault_inside_the_ingest_leaves_no_row_and_the_rerun_stores_everything(string point, string mode)
    {
        var expected = Uninterrupted();
        var batch = Evaluate();
        var path = _dir.File($"faulted-{Guid.NewGuid():N}.duckdb");

        Environment.SetEnvironmentVariable(StoreFaults.Variable, point + mode);
        using (var store = ResultsStore.Open(path))
        {
            var e = Record.Exception(() => store.RecordStageBatch(batch));
            Assert.IsType(mode == "" ? typeof(InjectedFaultException) : typeof(IOException), e);
            Assert.Contains(point, e.Message);
        }
        Environment.SetEnvironmentVariable(StoreFaults.Variable, null);

        using (var store = ResultsStore.Open(path))
        {
            Assert.All(Tables, t => Assert.Equal(0L, Count(store, t)));
            Assert.False(store.HoldsStageBatch(batch));
            store.RecordStageBatch(batch);
            Assert.Equal(expected, Counts(store));
        }
    }

    [Fact]
    public void A_fault_right_after_commit_keeps_the_stage_and_the_rerun_adds_no_copies()
    {
        var expected = Uninterrupted();
        var batch = Evaluate();
        var path = _dir.File("after-commit.duckdb");
        Environment.SetEnvironmentVariable(StoreFaults.Variable, StoreFaults.AfterCommit);
        using (var store = ResultsStore.Open(path))
            Assert.Throws<InjectedFaultException>(() => store.RecordStageBatch(batch));
        Environment.SetEnvironmentVariable(StoreFaults.Variable, null);
        using (var store = ResultsStore.Open(path))
        {
            Assert.Equal(expected, Counts(store));
            Assert.True(store.HoldsStageBatch(batch));
            store.RecordStageBatch(batch); // recording again replaces, never duplicates
            Assert.Equal(expected, Counts(store));
        }
    }

    [Fact]
    public void A_store_an_older_build_left_half_written_is_seen_as_incomplete_and_repaired()
    {
        var expected = Uninterrupted();
        var batch = Evaluate();
        using var store = ResultsStore.Open(_dir.File("partial.duckdb"));
        // What the old separate transactions left after a kill between them: run and stage rows, no metrics or details.
        store.RecordRun(batch.Run);
        store.RecordStage(batch.Stage);
        Assert.False(store.HoldsStageBatch(batch));
        store.RecordStageBatch(batch);
        Assert.True(store.HoldsStageBatch(batch));
        Assert.Equal(expected, Counts(store));

        // Half the metrics and one method's concepts lost: also repaired, still no copies.
        store.Query("DELETE FROM metrics WHERE metric = 'recovery_accuracy'");
        store.Query("DELETE FROM top_sentences WHERE method = 'sae'");
        Assert.False(store.HoldsStageBatch(batch));
        store.RecordStageBatch(batch);
        Assert.Equal(expected, Counts(store));
    }

    [Fact]
    public void An_earlier_result_of_the_same_run_and_stage_is_kept_as_history()
    {
        using var store = ResultsStore.Open(_dir.File("history.duckdb"));
        var first = Evaluate();
        store.RecordStageBatch(first);
        var later = first.Stage.FinishedAt!.Value.AddHours(1);
        var second = first with
        {
            Stage = first.Stage with { FinishedAt = later },
            Metrics = first.Metrics.Select(m => m with { RecordedAt = later, Value = m.Value + 1 }).ToList(),
        };
        Assert.False(store.HoldsStageBatch(second));
        store.RecordStageBatch(second);
        store.RecordStageBatch(second);
        Assert.Equal(2L * first.Metrics.Count, Count(store, "metrics"));
        Assert.True(store.HoldsStageBatch(second));
    }

    [Fact]
    public void A_fault_in_the_schema_transaction_leaves_no_half_created_store()
    {
        var path = _dir.File("schema.duckdb");
        Environment.SetEnvironmentVariable(StoreFaults.Variable, StoreFaults.SchemaBeforeCommit + "@disk-full");
        Assert.Throws<IOException>(() => ResultsStore.Open(path).Dispose());
        Environment.SetEnvironmentVariable(StoreFaults.Variable, null);
        using var store = ResultsStore.Open(path);
        Assert.Equal(ResultsStore.CurrentSchemaVersion, store.SchemaVersion);
        Assert.Equal(1L, Convert.ToInt64(store.Query("SELECT count(*) FROM schema_info").Rows[0][0]));
    }

    [Fact]
    public void A_run_without_stages_is_stored_with_its_metrics_or_not_at_all()
    {
        var run = SampleRecords.Run("bench-1", method: null);
        var rows = new[] { SampleRecords.Metric(run, "gflops", 12.5, stage: "bench"), SampleRecords.Metric(run, "median_seconds", 0.25, stage: "bench") };
        using var store = ResultsStore.Open(_dir.File("bench.duckdb"));
        Environment.SetEnvironmentVariable(StoreFaults.Variable, StoreFaults.AfterMetrics + "@disk-full");
        Assert.Throws<IOException>(() => store.RecordRunWithMetrics(run, rows));
        Environment.SetEnvironmentVariable(StoreFaults.Variable, null);
        Assert.Equal((0L, 0L), (Count(store, "runs"), Count(store, "metrics")));
        store.RecordRunWithMetrics(run, rows);
        Assert.Equal((1L, 2L), (Count(store, "runs"), Count(store, "metrics")));
    }

    [Fact]
    public void A_process_killed_inside_a_schema_migration_leaves_the_old_store_intact_and_the_next_open_migrates_it()
    {
        var path = _dir.File("killed.duckdb");
        using (var store = ResultsStore.Open(path))
            store.RecordStageBatch(Evaluate());
        SchemaV5MigrationTests.DowngradeToVersion4(path);

        var killed = Cli.CliProcess.Run(_dir.Path, new Dictionary<string, string> { [StoreFaults.Variable] = StoreFaults.SchemaBeforeCommit + "@exit" },
            "query", "--write", "SELECT 1", "--store", path);
        Assert.NotEqual(0, killed.ExitCode);
        Assert.Contains("injected kill at store:schema-before-commit", killed.Output);

        using var reopened = ResultsStore.Open(path);
        // The creation row (downgraded to 4), then one row per migration 5 to 9.
        Assert.Equal([6L, 9L], reopened.Query("SELECT count(*), max(version) FROM schema_info").Rows[0].Select(Convert.ToInt64));
        Assert.Equal(1L, Count(reopened, "runs"));
        Assert.Equal(4L, Count(reopened, "metrics"));
        Assert.Equal(5L, Count(reopened, "concepts"));
    }

    [Fact]
    public void An_unknown_fault_mode_is_a_clear_error()
    {
        Environment.SetEnvironmentVariable(StoreFaults.Variable, StoreFaults.AfterRun + "@typo");
        using var store = ResultsStore.Open(_dir.File("typo.duckdb"));
        var e = Assert.Throws<InvalidOperationException>(() => store.RecordStageBatch(Evaluate()));
        Assert.Contains("@disk-full", e.Message);
    }

    private Dictionary<string, long> Uninterrupted()
    {
        using var store = ResultsStore.Open(_dir.File($"clean-{Guid.NewGuid():N}.duckdb"));
        store.RecordStageBatch(Evaluate());
        var counts = Counts(store);
        Assert.Equal(new Dictionary<string, long>
        {
            ["runs"] = 1, ["stages"] = 1, ["metrics"] = 4, ["artefacts"] = 3, ["concepts"] = 5, ["top_sentences"] = 5,
        }, counts);
        return counts;
    }

    /// <summary>An Evaluate stage of two methods: 4 metrics, 3 files, 3 + 2 concepts, 3 + 2 top sentences.</summary>
    private static StageBatch Evaluate()
    {
        var run = SampleRecords.Run("smoke/tiny/planted/seed0/abc", method: null);
        var finished = new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567);
        MetricRow M(string method, string metric, double v) =>
            new(run.RunId, "evaluate", run.Model, run.Dataset, method, run.Seed, "test", metric, v, RecordedAt: finished);
        ConceptRecord C(string method, int j, int n) => new(run.RunId, method, j, n, j % 2 == 0, PcaX: j, PcaY: -j);
        TopSentenceRecord S(string method, int j, int rank) => new(run.RunId, method, j, rank, 10 * j + rank, 1.0 / rank, $"s{j}-{rank}", 0);
        return new StageBatch(run,
            new StageRecord(run.RunId, "evaluate", "complete", finished.AddMinutes(-2), finished, 120, "smoke/tiny/planted/seed0/evaluate/manifest.json"),
            [M("classifsae", "recovery_accuracy", 0.9), M("classifsae", "cond_tvd", 0.2), M("sae", "recovery_accuracy", 0.7), M("sae", "cond_tvd", 0.1)],
            [new(run.RunId, "evaluate", "smoke/tiny/planted/seed0/evaluate/a.json", 10, "aa"),
             new(run.RunId, "evaluate", "smoke/tiny/planted/seed0/evaluate/b.json", 20, "bb"),
             new(run.RunId, "evaluate", "smoke/tiny/planted/seed0/evaluate/metrics.json", 30, "cc")],
            [new MethodConcepts("classifsae", [C("classifsae", 0, 3), C("classifsae", 1, 3), C("classifsae", 2, 3)],
                 [S("classifsae", 0, 1), S("classifsae", 0, 2), S("classifsae", 2, 1)]),
             new MethodConcepts("sae", [C("sae", 0, 2), C("sae", 1, 2)], [S("sae", 0, 1), S("sae", 0, 2)])]);
    }

    private static Dictionary<string, long> Counts(ResultsStore store) => Tables.ToDictionary(t => t, t => Count(store, t));

    private static long Count(ResultsStore store, string table) =>
        Convert.ToInt64(store.Query($"SELECT count(*) FROM {table}").Rows[0][0]);
}

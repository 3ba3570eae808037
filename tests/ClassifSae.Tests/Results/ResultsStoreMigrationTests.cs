using ClassifSae.Results;
using DuckDB.NET.Data;

namespace ClassifSae.Tests.Results;

public class ResultsStoreMigrationTests
{
    /// <summary>The version-1 layout, written out by hand as an older ClassifSae would have left it.</summary>
    private const string Version1Ddl = """
        CREATE TABLE schema_info (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL, description TEXT NOT NULL);
        CREATE TABLE runs (
            run_id TEXT PRIMARY KEY, profile TEXT NOT NULL, model TEXT NOT NULL, dataset TEXT NOT NULL, method TEXT,
            seed INTEGER NOT NULL, config_json TEXT NOT NULL, config_hash TEXT NOT NULL, git_commit TEXT,
            versions_json TEXT NOT NULL, device TEXT NOT NULL, dtype TEXT NOT NULL, threads INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL);
        CREATE TABLE stages (
            run_id TEXT NOT NULL, stage TEXT NOT NULL, status TEXT NOT NULL, started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP, seconds DOUBLE, manifest_path TEXT, PRIMARY KEY (run_id, stage));
        CREATE TABLE metrics (
            run_id TEXT NOT NULL, stage TEXT NOT NULL, model TEXT NOT NULL, dataset TEXT NOT NULL, method TEXT,
            seed INTEGER NOT NULL, split TEXT NOT NULL, metric TEXT NOT NULL, value DOUBLE NOT NULL,
            recorded_at TIMESTAMP NOT NULL);
        INSERT INTO schema_info VALUES (1, TIMESTAMP '2025-01-01 00:00:00', 'initial');
        INSERT INTO runs VALUES ('old-run', 'smoke', 'bert-base', 'ag_news', 'classifsae', 7, '{}', 'h', NULL, '{}',
            'cpu', 'float32', 2, TIMESTAMP '2025-01-01 00:00:00');
        INSERT INTO metrics VALUES ('old-run', 'evaluate', 'bert-base', 'ag_news', 'classifsae', 7, 'test',
            'recovery_accuracy', 0.875, TIMESTAMP '2025-01-01 00:00:01');
        """;

    [Fact]
    public void Version1StoreIsUpgradedInPlaceKeepingItsRows()
    {
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        using (var raw = new DuckDBConnection($"Data Source={path}"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = Version1Ddl;
            cmd.ExecuteNonQuery();
        }

        using (var store = ResultsStore.Open(path))
        {
            Assert.Equal(ResultsStore.CurrentSchemaVersion, store.SchemaVersion);
            var versions = store.Query("SELECT version FROM schema_info ORDER BY version").Rows.Select(r => Convert.ToInt32(r[0])).ToList();
            Assert.Equal(Enumerable.Range(1, ResultsStore.CurrentSchemaVersion), versions);

            var latest = store.Query("SELECT metric, value, formula_version FROM latest_metrics");
            Assert.Single(latest.Rows);
            Assert.Equal("recovery_accuracy", latest.Rows[0][0]);
            Assert.Equal(0.875, latest.Rows[0][1]);
            Assert.Equal(1, Convert.ToInt32(latest.Rows[0][2]));

            // The upgraded file accepts writes from the current API.
            store.AppendMetrics([new MetricRow("old-run", "evaluate", "bert-base", "ag_news", "classifsae", 7, "test", "avg_activation_rate", 0.25, FormulaVersion: 2)]);
            Assert.Equal(2L, Convert.ToInt64(store.Query("SELECT count(*) FROM metrics").Rows[0][0]));
        }

        // Same columns, in the same order, as a store created fresh at the current version.
        using var fresh = ResultsStore.Open(dir.File("fresh.duckdb"));
        using var upgraded = ResultsStore.Open(path);
        const string columns = "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position";
        Assert.Equal(CsvFormatter.Format(fresh.Query(columns)), CsvFormatter.Format(upgraded.Query(columns)));
    }
}

using ClassifSae.Results;
using DuckDB.NET.Data;

namespace ClassifSae.Tests.Results;

public class SchemaV3MigrationTests
{
    /// <summary>The version-2 layout (before concepts, top sentences, artefacts and reference results), with one run, stage and metric.</summary>
    private const string Version2Ddl = """
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
            recorded_at TIMESTAMP NOT NULL, formula_version INTEGER NOT NULL DEFAULT 1);
        CREATE VIEW latest_metrics AS SELECT * FROM metrics;
        INSERT INTO schema_info VALUES (1, TIMESTAMP '2025-01-01 00:00:00', 'initial'), (2, TIMESTAMP '2025-02-01 00:00:00', 'formula_version');
        INSERT INTO runs VALUES ('old-run', 'paper', 'pythia-70m', 'ag_news', NULL, 42, '{}', 'h', NULL, '{}',
            'cpu', 'float32', 2, TIMESTAMP '2025-02-01 00:00:00');
        INSERT INTO stages VALUES ('old-run', 'evaluate', 'complete', TIMESTAMP '2025-02-01 00:00:00', NULL, 3.5, NULL);
        INSERT INTO metrics VALUES ('old-run', 'evaluate', 'pythia-70m', 'ag_news', 'classifsae', 42, 'test',
            'recovery_accuracy', 0.97, TIMESTAMP '2025-02-01 00:00:01', 1);
        """;

    [Fact]
    public void Version2StoreIsUpgradedInPlaceKeepingItsRowsAndGainsTheNewTables()
    {
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        using (var raw = new DuckDBConnection($"Data Source={path}"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = Version2Ddl;
            cmd.ExecuteNonQuery();
        }

        using (var store = ResultsStore.Open(path))
        {
            Assert.Equal(SchemaMigrations.Current, store.SchemaVersion);
            Assert.Equal(Enumerable.Range(1, SchemaMigrations.Current), store.Query("SELECT version FROM schema_info ORDER BY version").Rows.Select(r => Convert.ToInt32(r[0])));
            Assert.Equal(0.97, store.Query("SELECT value FROM latest_metrics WHERE metric = 'recovery_accuracy'").Rows.Single()[0]);
            Assert.Equal(3.5, store.Query("SELECT seconds FROM stages").Rows.Single()[0]);
            // v4: old metrics have no sentence encoder.
            Assert.All(store.Query("SELECT encoder FROM metrics").Rows, r => Assert.Null(r[0]));

            // The new tables accept writes through the API, and the paper table joins old metrics to the reference.
            store.ReplaceArtefacts("old-run", "evaluate", [new ArtefactRecord("old-run", "evaluate", "/x/metrics.json", 10, "ab")]);
            store.ReplaceConcepts("old-run", "classifsae", [new ConceptRecord("old-run", "classifsae", 0, 1, true, 0, "World", 0, 10.5)],
                [new TopSentenceRecord("old-run", "classifsae", 0, 1, 5, 2.5, "text", 0)]);
            Assert.True(Convert.ToInt64(store.Query("SELECT count(*) FROM reference_results").Rows[0][0]) > 3000);
            var cell = store.Query("""
                SELECT ours_mean, paper_n FROM paper_table
                WHERE profile = 'paper' AND model = 'pythia-70m' AND dataset = 'ag_news' AND method = 'classifsae' AND metric = 'recovery_accuracy'
                """).Rows.Single();
            Assert.Equal(0.97, cell[0]);
            Assert.Equal(2L, Convert.ToInt64(cell[1]));
        }

        // Same tables and columns, in the same order, as a store created fresh at the current version.
        using var fresh = ResultsStore.Open(dir.File("fresh.duckdb"));
        using var upgraded = ResultsStore.Open(path);
        const string columns = "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position";
        Assert.Equal(CsvFormatter.Format(fresh.Query(columns)), CsvFormatter.Format(upgraded.Query(columns)));
    }
}

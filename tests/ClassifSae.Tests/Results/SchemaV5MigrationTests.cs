using ClassifSae.Results;
using DuckDB.NET.Data;

namespace ClassifSae.Tests.Results;

/// <summary>Version 5: runs.cpu_model, and the absolute artefact and manifest paths of older stores become relative to the runs folder.</summary>
public class SchemaV5MigrationTests
{
    [Fact]
    public void Version4StoreGetsRelativePathsAndTheCpuColumnKeepingEveryRow()
    {
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        const string runId = "smoke/tiny/planted/seed0/0123456789";
        using (var store = ResultsStore.Open(path))
        {
            store.RecordRun(SampleRecords.Run(runId, method: null));
            store.RecordStage(new StageRecord(runId, "evaluate", "complete", DateTime.UtcNow, DateTime.UtcNow, 1,
                "/home/me/classifsae/runs/smoke/tiny/planted/seed0/evaluate/manifest.json"));
            store.ReplaceArtefacts(runId, "evaluate",
            [
                new ArtefactRecord(runId, "evaluate", "/home/me/classifsae/runs/smoke/tiny/planted/seed0/evaluate/sae/4/test/metrics.json", 10, "aa"),
                new ArtefactRecord(runId, "evaluate", @"C:\work\runs\smoke\tiny\planted\seed0\evaluate\selected.json", 20, "bb"),
                new ArtefactRecord(runId, "evaluate", "/elsewhere/unrelated.json", 30, "cc"),
            ]);
        }
        DowngradeToVersion4(path);

        using (var store = ResultsStore.Open(path))
        {
            Assert.Equal(SchemaMigrations.Current, store.SchemaVersion);
            Assert.Equal(
                ["smoke/tiny/planted/seed0/evaluate/sae/4/test/metrics.json", "smoke/tiny/planted/seed0/evaluate/selected.json", "/elsewhere/unrelated.json"],
                store.Query("SELECT path FROM artefacts ORDER BY bytes").Rows.Select(r => (string)r[0]!));
            Assert.Equal("smoke/tiny/planted/seed0/evaluate/manifest.json", store.Query("SELECT manifest_path FROM stages").Rows.Single()[0]);
            Assert.Null(store.Query("SELECT cpu_model FROM runs").Rows.Single()[0]);
            Assert.Equal(1L, Convert.ToInt64(store.Query("SELECT count(*) FROM runs").Rows[0][0]));
            store.RecordRun(SampleRecords.Run(runId, method: null) with { CpuModel = "Test CPU 9000" });
            Assert.Equal("Test CPU 9000", store.Query("SELECT cpu_model FROM runs").Rows.Single()[0]);
        }

        using var fresh = ResultsStore.Open(dir.File("fresh.duckdb"));
        using var upgraded = ResultsStore.Open(path);
        const string columns = "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position";
        Assert.Equal(CsvFormatter.Format(fresh.Query(columns)), CsvFormatter.Format(upgraded.Query(columns)));
    }

    /// <summary>Takes a current store file back to the version 4 layout: no cpu_model nor method_version column, schema_info at 4.</summary>
    internal static void DowngradeToVersion4(string path)
    {
        SchemaV7MigrationTests.DowngradeToVersion6(path, []);
        using var raw = new DuckDBConnection($"Data Source={path}");
        raw.Open();
        using var cmd = raw.CreateCommand();
        cmd.CommandText = string.Join(";\n", new[] { "paper_table", "ours_summary", "reference_summary", "paper_methods", "paper_metrics", "latest_runs", "summary", "latest_metrics" }
            .Select(v => $"DROP VIEW IF EXISTS {v}")) + ";\nALTER TABLE runs DROP COLUMN method_version; ALTER TABLE runs DROP COLUMN cpu_model; UPDATE schema_info SET version = 4;";
        cmd.ExecuteNonQuery();
    }
}

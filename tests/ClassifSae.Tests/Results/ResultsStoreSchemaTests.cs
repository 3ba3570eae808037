using ClassifSae.Results;

namespace ClassifSae.Tests.Results;

public class ResultsStoreSchemaTests
{
    [Fact]
    public void NewStoreCreatesTablesViewsAndRecordsVersion()
    {
        using var dir = new TempFolder();
        var path = dir.File("sub/results.duckdb");
        using var store = ResultsStore.Open(path);

        Assert.True(File.Exists(path));
        Assert.Equal(ResultsStore.CurrentSchemaVersion, store.SchemaVersion);
        var version = store.Query("SELECT max(version) AS v FROM schema_info");
        Assert.Equal(ResultsStore.CurrentSchemaVersion, Convert.ToInt32(version.Rows[0][0]));

        var tables = store.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name")
            .Rows.Select(r => (string)r[0]!).ToList();
        Assert.Equal(["artefacts", "concept_effects", "concept_histograms", "concepts", "confusion", "latest_metrics", "latest_runs", "metrics", "ours_summary", "paper_methods",
            "paper_metrics", "paper_table", "reference_results", "reference_summary", "runs", "schema_info", "stages", "summary", "top_sentences",
            "training_curves"], tables);
    }

    [Fact]
    public void EmbeddedSchemaDeclaresTheCurrentVersion()
    {
        Assert.Equal(ResultsStore.CurrentSchemaVersion, SchemaScript.DeclaredVersion);
        Assert.Equal(["latest_metrics", "summary", "latest_runs", "paper_metrics", "paper_methods", "reference_summary", "ours_summary", "paper_table"], SchemaScript.ViewNames);
        Assert.Equal(SchemaMigrations.Current, SchemaMigrations.All.Max(m => m.ToVersion));
    }

    [Fact]
    public void ReopeningDoesNotAddVersionRows()
    {
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        ResultsStore.Open(path).Dispose();
        using var store = ResultsStore.Open(path);
        Assert.Equal(1L, Convert.ToInt64(store.Query("SELECT count(*) FROM schema_info").Rows[0][0]));
    }

    [Fact]
    public void StoreFromNewerSchemaIsRejectedWithOneLineMessage()
    {
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        var newer = ResultsStore.CurrentSchemaVersion + 1;
        using (var store = ResultsStore.Open(path))
            store.Query($"INSERT INTO schema_info VALUES ({newer}, TIMESTAMP '2030-01-01 00:00:00', 'from the future')");

        var e = Assert.Throws<InvalidDataException>(() => ResultsStore.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"schema version {newer}", e.Message);
        Assert.Contains($"version {ResultsStore.CurrentSchemaVersion} supported", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        // The rejected open must not keep the file locked or half-open.
        using var raw = new DuckDB.NET.Data.DuckDBConnection($"Data Source={path}");
        raw.Open();
    }

    [Fact]
    public void DuckDbFileWithoutSchemaInfoIsRejected()
    {
        using var dir = new TempFolder();
        var path = dir.File("other.duckdb");
        using (var raw = new DuckDB.NET.Data.DuckDBConnection($"Data Source={path}"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "CREATE TABLE something (x INTEGER)";
            cmd.ExecuteNonQuery();
        }
        var e = Assert.Throws<InvalidDataException>(() => ResultsStore.Open(path));
        Assert.Contains("not a ClassifSae results store", e.Message);
    }
}

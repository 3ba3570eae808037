using ClassifSae.Results;
using DuckDB.NET.Data;

namespace ClassifSae.Tests.Results;

/// <summary>Version 8: concept_histograms, each evaluated concept's activation histogram, replaced per (run, method).</summary>
public class SchemaV8MigrationTests
{
    private static StageBatch Batch(params ConceptHistogramRecord[] bins)
    {
        var run = SampleRecords.Run("smoke/tiny/planted/seed0/abc", method: null);
        var t = new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        return new StageBatch(run, new StageRecord(run.RunId, "evaluate", "complete", t, t, 1, null), [], [],
            [new MethodConcepts("sae", [new ConceptRecord(run.RunId, "sae", 3, 8, true)], [])]) { ConceptHistograms = bins };
    }

    private static ConceptHistogramRecord Bin(int bin, int n) => new("smoke/tiny/planted/seed0/abc", "sae", 3, bin, bin, bin + 1, n);

    [Fact]
    public void Histogram_rows_round_trip_and_a_new_evaluation_replaces_them()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        store.RecordStageBatch(Batch(Bin(0, 5), Bin(1, 2)));
        Assert.True(store.HoldsStageBatch(Batch(Bin(0, 5), Bin(1, 2))));
        Assert.False(store.HoldsStageBatch(Batch(Bin(0, 5), Bin(1, 2), Bin(2, 1))));
        store.RecordStageBatch(Batch(Bin(0, 4), Bin(1, 2), Bin(2, 1)));
        var rows = store.Query("SELECT bin, lower, upper, sentences FROM concept_histograms ORDER BY bin").Rows
            .Select(r => (Convert.ToInt32(r[0]), Convert.ToDouble(r[1]), Convert.ToDouble(r[2]), Convert.ToInt32(r[3]))).ToList();
        Assert.Equal([(0, 0.0, 1.0, 4), (1, 1.0, 2.0, 2), (2, 2.0, 3.0, 1)], rows);
        Assert.Throws<ArgumentException>(() => store.RecordStageBatch(Batch(Bin(0, -1))));
    }

    [Fact]
    public void A_version7_store_gets_the_table_and_keeps_its_rows()
    {
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        using (var store = ResultsStore.Open(path))
            store.RecordRun(SampleRecords.Run("r1", method: null));
        DowngradeToVersion7(path);
        using (var raw = new DuckDBConnection($"Data Source={path}"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'concept_histograms'";
            Assert.Equal(0L, Convert.ToInt64(cmd.ExecuteScalar()));
        }
        using (var store = ResultsStore.Open(path))
        {
            Assert.Equal(SchemaMigrations.Current, store.SchemaVersion);
            Assert.Equal(1L, Convert.ToInt64(store.Query("SELECT count(*) FROM runs").Rows[0][0]));
            store.RecordStageBatch(Batch(Bin(0, 5)));
            Assert.Equal(1L, Convert.ToInt64(store.Query("SELECT count(*) FROM concept_histograms").Rows[0][0]));
        }
    }

    internal static void DowngradeToVersion7(string path)
    {
        using var raw = new DuckDBConnection($"Data Source={path}");
        raw.Open();
        using var cmd = raw.CreateCommand();
        cmd.CommandText = "DROP TABLE concept_histograms; ALTER TABLE runs DROP COLUMN rope_scaling; UPDATE schema_info SET version = 7;";
        cmd.ExecuteNonQuery();
    }
}

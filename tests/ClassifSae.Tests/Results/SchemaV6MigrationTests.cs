using ClassifSae.Results;
using DuckDB.NET.Data;

namespace ClassifSae.Tests.Results;

/// <summary>Version 6: runs.method_version (older runs were the paper's method), and views that keep the two versions apart.</summary>
public class SchemaV6MigrationTests
{
    [Fact]
    public void Version5StoreGetsThePaperVersionOnEveryRunAndTheFreshLayout()
    {
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        using (var store = ResultsStore.Open(path))
        {
            store.RecordRun(SampleRecords.Run("r1", method: null));
            store.RecordRun(SampleRecords.Run("r2", method: null, seed: 1));
        }
        DowngradeToVersion5(path);

        using (var store = ResultsStore.Open(path))
        {
            Assert.Equal(SchemaMigrations.Current, store.SchemaVersion);
            Assert.Equal(["paper-2025", "paper-2025"], store.Query("SELECT method_version FROM runs ORDER BY run_id").Rows.Select(r => (string)r[0]!));
            store.RecordRun(SampleRecords.Run("r3", method: null) with { MethodVersion = "upstream-2026" });
            Assert.Equal("upstream-2026", store.Query("SELECT method_version FROM runs WHERE run_id = 'r3'").Rows.Single()[0]);
        }

        using var fresh = ResultsStore.Open(dir.File("fresh.duckdb"));
        using var upgraded = ResultsStore.Open(path);
        const string columns = "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position";
        Assert.Equal(CsvFormatter.Format(fresh.Query(columns)), CsvFormatter.Format(upgraded.Query(columns)));
    }

    [Fact]
    public void TheViewsKeepBothVersionsOfTheSameCellApart()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var paper = SampleRecords.Run("paper", method: null);
        var upstream = SampleRecords.Run("upstream", method: null, createdAt: new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)) with { MethodVersion = "upstream-2026" };
        store.RecordRunWithMetrics(paper, [SampleRecords.Metric(paper, "recovery_accuracy", 0.9)]);
        store.RecordRunWithMetrics(upstream, [SampleRecords.Metric(upstream, "recovery_accuracy", 0.8)]);

        // The newer upstream run does not hide the paper run of the same (profile, model, data set, seed).
        Assert.Equal(["smoke|paper-2025|smoke|0.9", "smoke (upstream-2026)|upstream-2026|smoke|0.8"],
            store.Query("SELECT profile, method_version, run_profile, mean FROM summary WHERE metric = 'recovery_accuracy' ORDER BY profile").Rows
                .Select(r => string.Join("|", r.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))));
        Assert.Equal(["smoke|paper", "smoke (upstream-2026)|upstream"],
            store.Query("SELECT profile, run_id FROM latest_runs ORDER BY profile").Rows.Select(r => $"{r[0]}|{r[1]}"));
    }

    /// <summary>Takes a current store file back to the version 5 layout: no method_version column, schema_info at 5.</summary>
    private static void DowngradeToVersion5(string path)
    {
        SchemaV7MigrationTests.DowngradeToVersion6(path, []);
        using var raw = new DuckDBConnection($"Data Source={path}");
        raw.Open();
        using var cmd = raw.CreateCommand();
        cmd.CommandText = string.Join(";\n", new[] { "paper_table", "ours_summary", "reference_summary", "paper_methods", "paper_metrics", "latest_runs", "summary", "latest_metrics" }
            .Select(v => $"DROP VIEW IF EXISTS {v}")) + ";\nALTER TABLE runs DROP COLUMN method_version; UPDATE schema_info SET version = 5;";
        cmd.ExecuteNonQuery();
    }
}

using ClassifSae.Results;

namespace ClassifSae.Tests.Results;

public class ParquetExportTests
{
    [Fact]
    public void ExportedParquetReadsBackTheSameRows()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var run = SampleRecords.Run("run-a", seed: 3);
        store.RecordRun(run);
        store.AppendMetrics([
            SampleRecords.Metric(run, "recovery_accuracy", 0.875),
            SampleRecords.Metric(run, "avg_activation_rate_pct", 10.25),
        ]);
        const string sql = "SELECT run_id, seed, metric, value FROM metrics ORDER BY metric";
        var file = Path.Combine(dir.Path, "out", "metrics.parquet");

        Assert.Equal(2, store.ExportParquet(sql + ";", file));

        Assert.True(File.Exists(file));
        Assert.Equal([file], Directory.GetFiles(Path.GetDirectoryName(file)!)); // no temporary file left
        var back = store.Query($"SELECT * FROM read_parquet('{file}') ORDER BY metric");
        Assert.Equal(CsvFormatter.Format(store.Query(sql)), CsvFormatter.Format(back));
    }

    [Fact]
    public void AViewNameAloneExportsTheView()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var file = dir.File("paper.parquet");
        var rows = store.ExportParquet("paper_table", file);
        Assert.Equal(Convert.ToInt64(store.Query("SELECT count(*) FROM paper_table").Rows[0][0]), rows);
        Assert.True(rows > 0); // the published numbers alone fill it
    }
}

using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Cli;

/// <summary>
/// <c>classifsae query</c> reads a read-only snapshot: statements that would change the store or write files fail with one
/// line and leave it unchanged; --write is the only way to change it; every statement of a multi-statement string prints.
/// </summary>
public sealed class QueryCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _store;

    public QueryCommandTests()
    {
        _store = _dir.File("s.duckdb");
        using var s = ResultsStore.Open(_store);
        var run = SampleRecords.Run("r1");
        s.RecordRun(run);
        s.AppendMetrics([SampleRecords.Metric(run, "recovery_accuracy", 0.9), SampleRecords.Metric(run, "cond_tvd", 0.2)]);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("DELETE FROM metrics", "read-only")]
    [InlineData("DROP TABLE schema_info", "read-only")]
    [InlineData("UPDATE runs SET profile = 'x'", "read-only")]
    [InlineData("COPY metrics TO 'out.csv'", "--write")]
    public void Statements_that_would_change_the_store_or_write_files_fail_with_one_line(string sql, string expected)
    {
        var r = CliProcess.Run(_dir.Path, "query", sql, "--store", _store);
        AssertOneLineError(r, expected);
        Assert.False(File.Exists(_dir.File("out.csv")));
        Assert.Equal("2", Count("metrics"));
        Assert.Equal("1", Count("runs"));
        Assert.Equal("smoke", Query("SELECT profile FROM runs"));
    }

    [Fact]
    public void Write_is_explicit()
    {
        var r = CliProcess.Run(_dir.Path, "query", "DELETE FROM metrics WHERE metric = 'cond_tvd'", "--store", _store, "--write", "--format", "csv");
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Equal("1", Count("metrics"));
    }

    [Fact]
    public void Every_statement_of_a_multi_statement_string_is_run_and_printed()
    {
        var r = CliProcess.Run(_dir.Path, "query", "SELECT 1 AS a; SELECT count(*) AS n FROM metrics; SELECT 'last' AS z", "--store", _store);
        Assert.True(r.ExitCode == 0, r.Output);
        var text = r.Output.ReplaceLineEndings("\n");
        Assert.Equal("a\n-\n1\n(1 row)\n\nn\n-\n2\n(1 row)\n\nz\n----\nlast\n(1 row)\n", text);
    }

    [Fact]
    public void Parquet_export_still_writes_its_output_file()
    {
        var r = CliProcess.Run(_dir.Path, "query", "SELECT * FROM metrics", "--store", _store, "--format", "parquet", "--output", _dir.File("m.parquet"));
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Contains("2 rows written", r.Output);
        Assert.True(new FileInfo(_dir.File("m.parquet")).Length > 0);
    }

    [Fact]
    public void Csv_refuses_several_statements_rather_than_dropping_some()
    {
        AssertOneLineError(CliProcess.Run(_dir.Path, "query", "SELECT 1; SELECT 2", "--store", _store, "--format", "csv"), "has 2 statements");
    }

    [Theory]
    [InlineData("", "the SQL is empty")]
    [InlineData("   ", "the SQL is empty")]
    [InlineData(";", "no statement")]
    [InlineData("-- only a comment", "no statement")]
    public void Empty_sql_is_a_one_line_error(string sql, string expected) =>
        AssertOneLineError(CliProcess.Run(_dir.Path, "query", sql, "--store", _store), expected);

    [Fact]
    public void A_query_waits_for_a_writer_and_says_so_when_it_gives_up()
    {
        // This test process holds the store for writing, as a stage does while it records its results.
        using var writer = ResultsStore.Open(_store);
        var env = new Dictionary<string, string> { ["CLASSIFSAE_STORE_LOCK_TIMEOUT"] = "2" };
        var r = CliProcess.Run(_dir.Path, env, "query", "SELECT 1", "--store", _store);
        AssertOneLineError(r, "locked by another process");
    }

    [Fact]
    public void An_open_read_only_store_does_not_keep_a_writer_waiting()
    {
        using var reader = ResultsStore.OpenReadOnly(_store);
        using (var writer = ResultsStore.Open(_store, lockTimeout: TimeSpan.FromSeconds(2)))
            writer.AppendMetrics([SampleRecords.Metric(SampleRecords.Run("r1"), "sentencesim_k1", 0.5)]);
        // The reader keeps its snapshot; the store has the new row.
        Assert.Equal(2L, Convert.ToInt64(reader.Query("SELECT count(*) FROM metrics").Rows[0][0]));
        Assert.Equal("3", Count("metrics"));
    }

    private string Count(string table) => Query($"SELECT count(*) FROM {table}");

    private string Query(string sql)
    {
        var r = CliProcess.Run(_dir.Path, "query", sql, "--store", _store, "--format", "csv");
        Assert.True(r.ExitCode == 0, r.Output);
        return r.Output.ReplaceLineEndings("\n").Trim().Split('\n')[1];
    }

    private static void AssertOneLineError(CliProcess.Result r, string expected) => CliProcess.AssertOneLineError(r, expected);
}

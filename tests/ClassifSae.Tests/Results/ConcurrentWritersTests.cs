using ClassifSae.Results;
using ClassifSae.Tests.Cli;

namespace ClassifSae.Tests.Results;

/// <summary>Many processes writing to one store at once (as Slurm jobs do) lose no rows: DuckDB's single-writer lock plus retries.</summary>
public sealed class ConcurrentWritersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("writers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Six_concurrent_writer_processes_lose_no_rows()
    {
        var store = Path.Combine(_dir, "s.duckdb");
        using (var s = ResultsStore.Open(store))
            s.RecordRun(new RunRecord("r", "p", "m", "d", null, 0, "{}", "h", null, "{}", "cpu", "float32", 1, DateTime.UtcNow));
        const int writers = 6, rowsEach = 4;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < rowsEach; i++)
            {
                var r = CliProcess.Run(_dir, "query", $"INSERT INTO metrics (run_id, stage, model, dataset, method, seed, split, metric, value, recorded_at, formula_version) " +
                    $"VALUES ('r', 'evaluate', 'm', 'd', 'w{w}', 0, 'test', 'row_{i}', {w * 100 + i}, now(), 1)", "--store", store, "--write");
                Assert.True(r.ExitCode == 0, r.Output);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        using var check = ResultsStore.Open(store);
        var count = Convert.ToInt64(check.Query("SELECT count(*) FROM metrics").Rows[0][0]);
        var distinct = Convert.ToInt64(check.Query("SELECT count(DISTINCT value) FROM metrics").Rows[0][0]);
        Assert.Equal(writers * rowsEach, count);
        Assert.Equal(writers * rowsEach, distinct);
    }
}

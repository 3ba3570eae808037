namespace ClassifSae.Tests.Cli;

/// <summary>A store that cannot be written is refused before FineTune runs (issue 12, item 10), not after it.</summary>
public sealed class ReadOnlyStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ro-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void An_unwritable_store_stops_the_run_before_any_stage()
    {
        // /proc accepts no new files, even from root (who ignores file permissions, so chmod cannot stand in here).
        var store = "/proc/self/classifsae-store/results.duckdb";
        var r = CliProcess.Run(_dir, "run", "--profile", "smoke", "--profiles-dir", RepoPaths.Profiles, "--runs-dir", _dir, "--store", store);
        Assert.Equal(1, r.ExitCode);
        var line = r.Output.Trim();
        Assert.StartsWith($"error: {store}: the results store is not writable (", line);
        Assert.EndsWith("); give --store a writable path", line);
        Assert.DoesNotContain('\n', line);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }
}

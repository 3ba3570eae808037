using ClassifSae.Results;

namespace ClassifSae.Tests.Results;

public class LockRetryTests
{
    private static readonly Exception LockError =
        new IOException("IO Error: Could not set lock on file \"/x/results.duckdb\": Conflicting lock is held in /usr/bin/dotnet (PID 42)");

    [Fact]
    public void RetriesWhileLockedThenSucceeds()
    {
        var attempts = 0;
        var slept = new List<TimeSpan>();
        var result = LockRetry.Run("/x/results.duckdb", () => ++attempts < 3 ? throw LockError : "opened",
            TimeSpan.FromSeconds(30), slept.Add, () => TimeSpan.Zero);
        Assert.Equal("opened", result);
        Assert.Equal(3, attempts);
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], slept);
    }

    [Fact]
    public void GivesUpAfterTimeoutWithClearMessage()
    {
        var clock = TimeSpan.Zero;
        var e = Assert.Throws<IOException>(() => LockRetry.Run<string>("/x/results.duckdb", () => throw LockError,
            TimeSpan.FromSeconds(30), d => clock += d, () => clock));
        Assert.Contains("'/x/results.duckdb' is locked by another process", e.Message);
        Assert.Contains("30 s", e.Message);
        Assert.True(clock >= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void OtherErrorsAreNotRetried()
    {
        var attempts = 0;
        Assert.Throws<InvalidDataException>(() => LockRetry.Run<string>("p", () => { attempts++; throw new InvalidDataException("bad"); },
            TimeSpan.FromSeconds(30), _ => { }, () => TimeSpan.Zero));
        Assert.Equal(1, attempts);
    }
}

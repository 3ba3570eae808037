namespace ClassifSae.Results;

/// <summary>
/// DuckDB lets one process at a time open a file for writing. Another pipeline stage may
/// hold the store briefly, so opening waits with exponential backoff before giving up.
/// </summary>
internal static class LockRetry
{
    /// <summary>10 minutes, or <c>$CLASSIFSAE_STORE_LOCK_TIMEOUT</c> seconds: many cluster jobs may finish at once and queue for the store.</summary>
    public static readonly TimeSpan DefaultTimeout =
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("CLASSIFSAE_STORE_LOCK_TIMEOUT"), out var s) && s > 0 ? s : 600);

    /// <summary>True for DuckDB's "Could not set lock on file ... Conflicting lock is held in ..." error.</summary>
    public static bool IsLockConflict(Exception e) =>
        e.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase);

    public static T Run<T>(string path, Func<T> open, TimeSpan timeout, Action<TimeSpan>? sleep = null, Func<TimeSpan>? elapsed = null)
    {
        sleep ??= Thread.Sleep;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        elapsed ??= () => watch.Elapsed;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return open();
            }
            catch (Exception e) when (IsLockConflict(e))
            {
                var remaining = timeout - elapsed();
                if (remaining <= TimeSpan.Zero)
                    throw new IOException(
                        $"Results store '{path}' is locked by another process; gave up after {timeout.TotalSeconds:0.#} s. ({FirstLine(e.Message)})", e);
                sleep(delay < remaining ? delay : remaining);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
                // Past a few retries, jitter keeps the waiting writers from retrying in lock-step.
                if (delay.TotalMilliseconds >= 400) delay *= 0.5 + Random.Shared.NextDouble();
            }
        }
    }

    private static string FirstLine(string message)
    {
        var i = message.IndexOfAny(['\r', '\n']);
        return i < 0 ? message : message[..i];
    }
}

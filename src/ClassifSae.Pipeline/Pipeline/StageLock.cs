namespace ClassifSae.Pipeline;

/// <summary>
/// An exclusive lock on one stage folder, so two invocations (two Reproduce runs, or a local run and a
/// Slurm job) never write the same outputs at once. The lock is the OS's (flock) on <c>FOLDER.lock</c>, whose text names
/// the holder (<see cref="LockOwner"/>: pid, host, process start). The OS drops the lock when the process dies; a file
/// left by a killed run is then reclaimed with a one-line notice, unless the process it names still runs on this host
/// (a file system without flock, or the lock copied), which blocks as a held lock does. Every lock file is deleted on release.
/// </summary>
public sealed class StageLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;

    private StageLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <param name="notice">told, in one line, when a lock left by a process that no longer runs is reclaimed</param>
    public static StageLock Acquire(string stageFolder, string what, Action<string>? notice = null)
    {
        var path = stageFolder.TrimEnd('/') + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // A releasing holder deletes the file while still locking it; whoever locked that deleted file tries again.
        for (var attempt = 0; ; attempt++)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                throw Held(what, path, LockOwner.Parse(LockFileText.TryRead(path)));
            }
            if (LockFileText.IsUnlinked(stream) && attempt < 10)
            {
                stream.Dispose();
                continue;
            }
            var previous = LockOwner.Parse(ReadAll(stream));
            if (previous is not null)
            {
                var alive = previous.IsAlive();
                if (alive == true)
                {
                    stream.Dispose();
                    throw Held(what, path, previous);
                }
                notice?.Invoke($"reclaimed the lock {path} left by {previous.Describe()}, " +
                               (alive == false ? "which no longer runs" : "on a host this one cannot check, whose OS lock was released"));
            }
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(LockOwner.Current().Format()));
            stream.Flush();
            return new StageLock(stream, path);
        }
    }

    private static UserError Held(string what, string path, LockOwner? owner) =>
        new($"{what} is being run by another classifsae process{(owner is null ? "" : $" ({owner.Describe()})")}; " +
            $"wait for it to finish or stop it (lock: {path})");

    private static string ReadAll(FileStream stream)
    {
        stream.Position = 0;
        var buffer = new byte[Math.Min(4096, stream.Length)];
        var n = stream.Read(buffer);
        stream.Position = 0;
        return System.Text.Encoding.UTF8.GetString(buffer, 0, n);
    }

    public void Dispose()
    {
        try { File.Delete(_path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a read-only folder: the file stays, harmlessly */ }
        _stream.Dispose();
    }
}

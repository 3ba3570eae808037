namespace ClassifSae.Pipeline;

/// <summary>
/// An exclusive lock on one stage folder, so two invocations (two Reproduce runs, or a local run and a
/// Slurm job) never write the same outputs at once. The lock is the OS's (flock) on <c>FOLDER.lock</c>, which holds the
/// holder's pid for the refusal message. The OS drops the lock when the process dies, so a file left by a killed run
/// blocks nothing; it is reused and, like every lock file, deleted on release.
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

    public static StageLock Acquire(string stageFolder, string what)
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
                var holder = LockFileText.TryRead(path);
                throw new UserError($"{what} is being run by another classifsae process{(holder is null ? "" : $" (pid {holder})")}; " +
                                    $"wait for it to finish (lock: {path})");
            }
            if (LockFileText.IsUnlinked(stream) && attempt < 10)
            {
                stream.Dispose();
                continue;
            }
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(Environment.ProcessId.ToString()));
            stream.Flush();
            return new StageLock(stream, path);
        }
    }

    public void Dispose()
    {
        try { File.Delete(_path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a read-only folder: the file stays, harmlessly */ }
        _stream.Dispose();
    }
}

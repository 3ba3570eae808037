namespace ClassifSae.Pipeline;

/// <summary>
/// An exclusive lock on one stage folder, so two invocations (two Reproduce runs, or a local run and a
/// Slurm job) never write the same outputs at once. The OS drops the lock when the process dies, so a
/// killed run never blocks the next one.
/// </summary>
public sealed class StageLock : IDisposable
{
    private readonly FileStream _stream;

    private StageLock(FileStream stream) => _stream = stream;

    public static StageLock Acquire(string stageFolder, string what)
    {
        var path = stageFolder.TrimEnd('/') + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.UTF8.GetBytes(Environment.ProcessId.ToString());
            stream.Write(pid);
            stream.Flush();
            return new StageLock(stream);
        }
        catch (IOException)
        {
            var holder = TryRead(path);
            throw new UserError($"{what} is being run by another classifsae process{(holder is null ? "" : $" (pid {holder})")}; " +
                                $"wait for it to finish (lock: {path})");
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var r = new StreamReader(s);
            var text = r.ReadToEnd().Trim();
            return text.Length > 0 ? text : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}

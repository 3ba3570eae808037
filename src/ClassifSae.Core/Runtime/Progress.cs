namespace ClassifSae.Runtime;

/// <summary>Where long loops report progress; the CLI renders it as bars with rate and ETA, tests pass <see cref="SilentProgress"/>.</summary>
public interface IProgressSink
{
    IProgressTask Begin(string description, long total);
}

public interface IProgressTask : IDisposable
{
    void Advance(long by = 1);

    /// <summary>A short status shown beside the bar (e.g. the current loss).</summary>
    void Status(string status);
}

public sealed class SilentProgress : IProgressSink, IProgressTask
{
    public static readonly SilentProgress Instance = new();

    public IProgressTask Begin(string description, long total) => this;

    public void Advance(long by = 1) { }

    public void Status(string status) { }

    public void Dispose() { }
}

namespace ClassifSae.Pipeline;

/// <summary>
/// The log file of the stage running on this flow (<c>stage.log</c> in its folder): every <see cref="RunContext.Log"/>
/// line written while the stage's body runs also goes there, with time and level (<see cref="LogLine"/>), so a stage's
/// folder says what it did even when the console was not kept.
/// </summary>
public sealed class StageLog : IDisposable
{
    public const string FileName = "stage.log";

    private static readonly AsyncLocal<StageLog?> Current = new();
    private readonly StreamWriter _writer;
    private readonly StageLog? _outer;

    private StageLog(string path)
    {
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
        _outer = Current.Value;
        Current.Value = this;
    }

    /// <summary>Starts the log file <paramref name="folder"/>/stage.log for the calling flow until disposed.</summary>
    public static StageLog Begin(string folder) => new(Path.Combine(folder, FileName));

    /// <summary>Appends to the current stage's file, if a stage is running on this flow.</summary>
    public static void Write(string message)
    {
        var log = Current.Value;
        if (log is null) return;
        lock (log._writer) log._writer.WriteLine(LogLine.Format(DateTime.UtcNow, message));
    }

    public void Dispose()
    {
        Current.Value = _outer;
        _writer.Dispose();
    }
}

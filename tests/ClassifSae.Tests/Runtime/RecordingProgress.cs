using ClassifSae.Runtime;

namespace ClassifSae.Tests.Runtime;

/// <summary>An in-memory progress sink: every task with its total, its advances and the status it had at each advance.</summary>
public sealed class RecordingProgress : IProgressSink
{
    private readonly object _gate = new();

    public List<Task> Tasks { get; } = [];

    public IProgressTask Begin(string description, long total)
    {
        var t = new Task(this, description, total);
        lock (_gate) Tasks.Add(t);
        return t;
    }

    public sealed class Task(RecordingProgress owner, string description, long total) : IProgressTask
    {
        public string Description { get; } = description;
        public long Total { get; } = total;
        public long Done { get; private set; }
        public bool Disposed { get; private set; }
        public string Current { get; private set; } = "";
        /// <summary>(done after the advance, the status at that moment)</summary>
        public List<(long Done, string Status)> Advances { get; } = [];

        public void Advance(long by = 1)
        {
            lock (owner._gate)
            {
                Done += by;
                Advances.Add((Done, Current));
            }
        }

        public void Status(string status)
        {
            lock (owner._gate) Current = status;
        }

        public void Dispose() => Disposed = true;
    }
}

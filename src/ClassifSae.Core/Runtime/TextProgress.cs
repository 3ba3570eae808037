using System.Globalization;

namespace ClassifSae.Runtime;

/// <summary>
/// Progress as plain lines, for log files, CI and Slurm where bars cannot be redrawn: a line when a task starts, then
/// whenever its share passes the next <see cref="ShareStep"/> or <see cref="Every"/> has passed since the last line, and at
/// the end. A line shows done/total, share, the rate over the last <see cref="RateWindow"/> (so the ETA does not jump with
/// one slow step), the ETA, the elapsed time and the task's latest status (callers set it before advancing).
/// </summary>
public sealed class TextProgress(Action<string> write, Func<TimeSpan> clock) : IProgressSink
{
    private readonly Action<string> _write = write;
    private readonly Func<TimeSpan> _clock = clock;

    public TimeSpan Every { get; init; } = TimeSpan.FromSeconds(30);
    public int ShareStep { get; init; } = 10;
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromSeconds(60);

    public IProgressTask Begin(string description, long total)
    {
        var task = new Task(this, description, Math.Max(1, total));
        _write($"{description}: started ({total} steps)");
        return task;
    }

    private sealed class Task(TextProgress owner, string description, long total) : IProgressTask
    {
        private readonly object _gate = new();
        private readonly TimeSpan _started = owner._clock();
        // (time, done) samples at most one per second; the oldest still inside the rate window anchors the rate.
        private readonly Queue<(TimeSpan At, long Done)> _samples = new();
        private long _done;
        private long _printedDone = -1;
        private int _printedShare;
        private TimeSpan _printedAt;
        private string _status = "";

        public void Advance(long by = 1)
        {
            lock (_gate)
            {
                _done = Math.Min(total, _done + by);
                var now = owner._clock();
                Sample(now);
                var share = (int)(100 * _done / total);
                var due = share / owner.ShareStep > _printedShare / owner.ShareStep
                          || now - (_printedDone < 0 ? _started : _printedAt) >= owner.Every
                          || _done == total;
                if (due && _done != _printedDone) Print(now, share);
            }
        }

        public void Status(string status)
        {
            lock (_gate) _status = status;
        }

        public void Dispose()
        {
            lock (_gate)
                if (_done != _printedDone && _done > 0) Print(owner._clock(), (int)(100 * _done / total));
        }

        private void Sample(TimeSpan now)
        {
            if (_samples.Count == 0) _samples.Enqueue((_started, 0));
            if (now - _samples.Last().At >= TimeSpan.FromSeconds(1)) _samples.Enqueue((now, _done));
            // Keep one sample at or before the window's start as the rate's anchor; drop the older ones.
            while (_samples.Count > 1 && now - _samples.ElementAt(1).At >= owner.RateWindow) _samples.Dequeue();
        }

        private void Print(TimeSpan now, int share)
        {
            var from = _samples.Peek();
            var seconds = (now - from.At).TotalSeconds;
            var rate = seconds > 0 ? (_done - from.Done) / seconds : double.NaN;
            var eta = double.IsFinite(rate) && rate > 0 ? ProgressFormat.Duration(TimeSpan.FromSeconds((total - _done) / rate)) : "–";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{description}: {_done}/{total} ({share} %) {ProgressFormat.Rate(rate)} eta {eta} elapsed {ProgressFormat.Duration(now - _started)}");
            owner._write(_status.Length > 0 ? $"{line} {_status}" : line);
            (_printedDone, _printedShare, _printedAt) = (_done, share, now);
        }
    }
}

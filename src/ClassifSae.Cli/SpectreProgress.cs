using ClassifSae.Runtime;
using Spectre.Console;

namespace ClassifSae.Cli;

/// <summary>Renders the core's progress reports as Spectre.Console bars with rate and time remaining.</summary>
internal sealed class SpectreProgress(ProgressContext context) : IProgressSink
{
    public IProgressTask Begin(string description, long total) =>
        new Task(context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total)), description);

    public static void Run(Action<IProgressSink> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Logs and CI: plain lines at 10 % steps instead of redrawn bars.
            work(new PlainProgress());
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new TransferSpeedlessRateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new SpectreProgress(ctx)));
    }

    private sealed class Task(ProgressTask task, string description) : IProgressTask
    {
        public void Advance(long by = 1) => task.Increment(by);

        public void Status(string status) => task.Description = Markup.Escape($"{description} [{status}]");

        public void Dispose() => task.StopTask();
    }
}

/// <summary>Shows "items per second" for a task.</summary>
internal sealed class TransferSpeedlessRateColumn : ProgressColumn
{
    public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Spectre.Console.Text(task.Speed is double s ? $"{s:F1}/s" : "", new Style(Color.Grey));
}

internal sealed class PlainProgress : IProgressSink
{
    public IProgressTask Begin(string description, long total) => new Task(description, Math.Max(1, total));

    private sealed class Task(string description, long total) : IProgressTask
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private long _done;
        private int _lastDecile = -1;
        private string _status = "";

        public void Advance(long by = 1)
        {
            _done += by;
            var decile = (int)(10 * _done / total);
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            var rate = _done / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
            var eta = rate > 0 ? TimeSpan.FromSeconds((total - _done) / rate) : TimeSpan.Zero;
            Console.WriteLine($"{description}: {_done}/{total} ({100.0 * _done / total:F0} %) {rate:F1}/s eta {eta:mm\\:ss} {_status}");
        }

        public void Status(string status) => _status = status;

        public void Dispose() { }
    }
}

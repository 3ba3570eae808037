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
            // Logs, CI and Slurm: plain time-stamped lines every 10 % and every 30 s instead of redrawn bars.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            work(new TextProgress(line => Console.WriteLine(Pipeline.LogLine.Format(DateTime.UtcNow, line)), () => clock.Elapsed));
            return;
        }
        // Finished tasks leave the display (their outcome is in the log lines): Evaluate alone runs ~8 named steps per
        // method, and the display keeps to what runs now.
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(true)
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

/// <summary>Shows a task's rate in the unit that keeps it readable (per second, minute or hour; never "0.0/s").</summary>
internal sealed class TransferSpeedlessRateColumn : ProgressColumn
{
    public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Spectre.Console.Text(task.Speed is double s ? ProgressFormat.Rate(s) : "", new Style(Color.Grey));
}

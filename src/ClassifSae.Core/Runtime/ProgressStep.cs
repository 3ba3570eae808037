namespace ClassifSae.Runtime;

/// <summary>
/// One named step of a longer job as its own progress task (0 → 1), so a display shows what runs now instead of a
/// finished bar while a long step computes; the work may set the task's status as it goes.
/// </summary>
public static class ProgressStep
{
    public static T Run<T>(IProgressSink progress, string description, Func<IProgressTask, T> work)
    {
        using var task = progress.Begin(description, 1);
        var result = work(task);
        task.Advance();
        return result;
    }

    public static void Run(IProgressSink progress, string description, Action<IProgressTask> work) =>
        Run(progress, description, task => { work(task); return 0; });
}

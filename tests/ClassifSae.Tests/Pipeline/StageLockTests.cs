using ClassifSae.Pipeline;

namespace ClassifSae.Tests.Pipeline;

/// <summary>
/// The stage lock (issue 12, item 10; issue 18, item 8): a refusal names the holder's pid, a released lock leaves no
/// file behind, and a file left by a killed run blocks nothing.
/// </summary>
public sealed class StageLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stage-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Stage => Path.Combine(_dir, "finetune", "tiny-neox__planted__s42");

    [Fact]
    public void A_second_holder_is_refused_with_the_first_holders_pid()
    {
        using var first = StageLock.Acquire(Stage, "finetune tiny-neox/planted (seed 42)");
        var e = Assert.Throws<UserError>(() => StageLock.Acquire(Stage, "finetune tiny-neox/planted (seed 42)"));
        Assert.Equal($"finetune tiny-neox/planted (seed 42) is being run by another classifsae process (pid {Environment.ProcessId}); " +
                     $"wait for it to finish (lock: {Stage}.lock)", e.Message);
    }

    [Fact]
    public void Releasing_the_lock_removes_its_file_and_frees_the_stage()
    {
        using (StageLock.Acquire(Stage, "s"))
            Assert.True(File.Exists(Stage + ".lock"));
        Assert.False(File.Exists(Stage + ".lock"));
        using (StageLock.Acquire(Stage, "s")) { }
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Stage)!));
    }

    [Fact]
    public void A_lock_file_left_by_a_killed_run_blocks_nothing_and_is_cleaned_up()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Stage)!);
        File.WriteAllText(Stage + ".lock", "2147483646");   // no such process: its OS lock died with it
        using (StageLock.Acquire(Stage, "s"))
            Assert.Equal(Environment.ProcessId.ToString(), ReadShared(Stage + ".lock"));
        Assert.False(File.Exists(Stage + ".lock"));
    }

    /// <summary>Reads the file the way `cat` would (no advisory lock), as the holder keeps it locked.</summary>
    private static string ReadShared(string path)
    {
        var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", path) { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }
}

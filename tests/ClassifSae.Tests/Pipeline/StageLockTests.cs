using ClassifSae.Pipeline;

namespace ClassifSae.Tests.Pipeline;

/// <summary>
/// The stage lock (issue 12, item 10; issue 18, item 8): a refusal names the holder (pid, host, start), a released lock
/// leaves no file behind, a file left by a killed process is reclaimed with a one-line notice, and a file naming a
/// process that still runs blocks even when no OS lock is held on it.
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
        Assert.Equal($"finetune tiny-neox/planted (seed 42) is being run by another classifsae process ({LockOwner.Current().Describe()}); " +
                     $"wait for it to finish or stop it (lock: {Stage}.lock)", e.Message);
        Assert.Matches($@"^\(pid {Environment.ProcessId} on host {Environment.MachineName}, started \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$",
            "(" + LockOwner.Current().Describe() + ")");
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
    public void A_lock_file_of_a_killed_process_is_reclaimed_with_a_one_line_notice()
    {
        // A real process, recorded as a holder would record itself, then killed: its pid and start time name it.
        using var child = System.Diagnostics.Process.Start("sleep", "60");
        var owner = OwnerOf(child.Id);
        Assert.True(owner.IsAlive());
        child.Kill();
        child.WaitForExit();
        Assert.False(owner.IsAlive());
        Directory.CreateDirectory(Path.GetDirectoryName(Stage)!);
        File.WriteAllText(Stage + ".lock", owner.Format());

        var notices = new List<string>();
        using (StageLock.Acquire(Stage, "s", notices.Add))
            Assert.Equal(LockOwner.Current().Format(), ReadShared(Stage + ".lock"));
        Assert.Equal([$"reclaimed the lock {Stage}.lock left by {owner.Describe()}, which no longer runs"], notices);
        Assert.False(File.Exists(Stage + ".lock"));
    }

    [Fact]
    public void A_lock_file_of_a_process_that_still_runs_blocks_even_without_an_os_lock()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Stage)!);
        var text = LockOwner.Current().Format();
        File.WriteAllText(Stage + ".lock", text);   // this test process, alive, holding no flock on it
        var e = Assert.Throws<UserError>(() => StageLock.Acquire(Stage, "train m/d (seed 1)", _ => Assert.Fail("no reclaim")));
        Assert.Equal($"train m/d (seed 1) is being run by another classifsae process ({LockOwner.Current().Describe()}); " +
                     $"wait for it to finish or stop it (lock: {Stage}.lock)", e.Message);
        Assert.Equal(text, File.ReadAllText(Stage + ".lock"));   // the live owner's file is left as it was
    }

    [Fact]
    public void A_reused_pid_does_not_pass_for_the_owner_that_wrote_the_file()
    {
        var me = LockOwner.Current();
        Assert.True(me.IsAlive());
        Assert.False((me with { Start = me.Start + "0" }).IsAlive());   // same pid, another start: the writer has gone
        Assert.Null((me with { Host = me.Host + "-elsewhere" }).IsAlive());
    }

    [Fact]
    public void A_bare_pid_file_of_an_older_build_is_reclaimed_when_that_pid_is_gone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Stage)!);
        File.WriteAllText(Stage + ".lock", "2147483646");   // no such process
        var notices = new List<string>();
        using (StageLock.Acquire(Stage, "s", notices.Add)) { }
        Assert.Equal([$"reclaimed the lock {Stage}.lock left by pid 2147483646, which no longer runs"], notices);
        Assert.Equal(new LockOwner(2147483646, null, null, null), LockOwner.Parse("2147483646"));
    }

    /// <summary>What a process with this pid would have recorded (its start as the lock file keeps it).</summary>
    private static LockOwner OwnerOf(int pid)
    {
        var me = LockOwner.Current();
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var ticks = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        return new LockOwner(pid, me.Host, me.Start![..me.Start!.LastIndexOf(':')] + ":" + ticks, "2026-01-01T00:00:00Z");
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

using System.Diagnostics;
using System.Globalization;

namespace ClassifSae.Pipeline;

/// <summary>
/// Who holds a stage lock, as its file records it: <c>pid=… host=… start=… started=…</c>. <c>start</c> identifies the
/// process beyond its pid (Linux: boot id and start time in clock ticks from /proc), so a pid reused by another program
/// after a kill does not read as the owner still running; <c>started</c> is the same moment in UTC for people.
/// Files written before this format hold the pid alone.
/// </summary>
public sealed record LockOwner(int Pid, string? Host, string? Start, string? Started)
{
    public static LockOwner Current()
    {
        using var self = Process.GetCurrentProcess();
        return new(Environment.ProcessId, Environment.MachineName, StartOf(Environment.ProcessId),
            self.StartTime.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    public string Format() => $"pid={Pid} host={Host} start={Start} started={Started}";

    /// <summary>The owner a lock file's text names, or null if it names none.</summary>
    public static LockOwner? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bare)) return new(bare, null, null, null);
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        if (!fields.TryGetValue("pid", out var p) || !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return null;
        return new(pid, Empty(fields.GetValueOrDefault("host")), Empty(fields.GetValueOrDefault("start")), Empty(fields.GetValueOrDefault("started")));
    }

    /// <summary>
    /// True if the owner runs, false if it does not (no such process, or the pid now belongs to a process started at
    /// another time), null if this host cannot tell (the owner ran on another host).
    /// </summary>
    public bool? IsAlive()
    {
        if (Host is not null && !string.Equals(Host, Environment.MachineName, StringComparison.Ordinal)) return null;
        var now = StartOf(Pid);
        if (now is null) return false;
        return Start is null || Start == now;
    }

    /// <summary>As the refusal and the reclaim notice name it.</summary>
    public string Describe() =>
        $"pid {Pid}" + (Host is null ? "" : $" on host {Host}") + (Started is null ? "" : $", started {Started}");

    /// <summary>A process's identity beyond its pid, or null if no process has that pid.</summary>
    private static string? StartOf(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
            // Fields after the command name (which may hold spaces, inside parentheses): state is field 3, starttime field 22.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var boot = File.Exists("/proc/sys/kernel/random/boot_id") ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() : "";
            return rest[0] == "Z" ? null : $"{boot}:{rest[19]}";   // a zombie has ended; only its exit status is left
        }
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited ? null : p.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { return null; }
    }

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

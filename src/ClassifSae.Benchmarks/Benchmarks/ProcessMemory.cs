using System.Diagnostics;

namespace ClassifSae.Benchmarks;

/// <summary>
/// Resident memory of this process from <c>/proc/self/status</c> (VmHWM = peak, VmRSS = current). Libtorch allocates
/// outside the GC heap, so the OS view is the honest one. Writing "5" to <c>/proc/self/clear_refs</c> resets the peak,
/// which gives a per-case peak; elsewhere the process-lifetime peak working set is reported instead.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Resets the peak to the current resident size; false when the OS does not allow it.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static double PeakMb() => ReadStatusKb("VmHWM") is { } kb ? kb / 1024.0 : Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;

    public static double CurrentMb() => ReadStatusKb("VmRSS") is { } kb ? kb / 1024.0 : Process.GetCurrentProcess().WorkingSet64 / 1048576.0;

    private static long? ReadStatusKb(string key)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(key + ":", StringComparison.Ordinal)) continue;
            var parts = line[(key.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.TryParse(parts[0], out var kb) ? kb : null;
        }
        return null;
    }
}

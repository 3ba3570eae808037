namespace ClassifSae.Pipeline;

/// <summary>The processor's name, recorded with every run because CPU numbers (speed, and some float rounding) depend on it.</summary>
public static class CpuModel
{
    /// <summary>Linux: the first "model name" of /proc/cpuinfo (e.g. "AMD EPYC 7763 64-Core Processor"); elsewhere, or when absent, null.</summary>
    public static string? Describe(string cpuinfoPath = "/proc/cpuinfo")
    {
        try
        {
            if (!File.Exists(cpuinfoPath)) return null;
            foreach (var line in File.ReadLines(cpuinfoPath))
            {
                var colon = line.IndexOf(':');
                if (colon > 0 && line[..colon].Trim() is "model name" or "Model" or "cpu model")
                {
                    var name = string.Join(' ', line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    if (name.Length > 0) return name;
                }
            }
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

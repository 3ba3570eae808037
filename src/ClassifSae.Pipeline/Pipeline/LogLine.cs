using System.Globalization;

namespace ClassifSae.Pipeline;

/// <summary>
/// How a log line is written, on the console and in a stage's log file: UTC time, level, message, e.g.
/// <c>2026-11-29T05:01:02Z INFO  train tiny-neox/planted: done in 12.3 s</c>. A message that starts with "warning:" or
/// "error:" gets that level; every other line is INFO.
/// </summary>
public static class LogLine
{
    public static string Format(DateTime utc, string message)
    {
        var level = message.StartsWith("warning:", StringComparison.OrdinalIgnoreCase) ? "WARN"
            : message.StartsWith("error:", StringComparison.OrdinalIgnoreCase) ? "ERROR" : "INFO";
        return $"{utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} {level,-5} {message}";
    }
}

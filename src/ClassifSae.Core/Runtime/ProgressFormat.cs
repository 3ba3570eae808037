using System.Globalization;

namespace ClassifSae.Runtime;

/// <summary>How progress figures read: a rate in the unit that keeps it at least 1 (never "0.0/s"), durations as m:ss or h:mm:ss.</summary>
public static class ProgressFormat
{
    /// <param name="perSecond">items per second; 0 or less, or not finite, reads "–"</param>
    public static string Rate(double perSecond)
    {
        if (!double.IsFinite(perSecond) || perSecond <= 0) return "–";
        var (value, unit) = perSecond >= 1 ? (perSecond, "s") : perSecond * 60 >= 1 ? (perSecond * 60, "min") : (perSecond * 3600, "h");
        var digits = value >= 100 ? "F0" : value >= 10 ? "F1" : value >= 0.1 ? "F2" : "G2";
        return value.ToString(digits, CultureInfo.InvariantCulture) + "/" + unit;
    }

    public static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        var seconds = (long)Math.Round(t.TotalSeconds);
        var (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return h > 0 ? $"{h}:{m:00}:{s:00}" : $"{m}:{s:00}";
    }
}

using System.Globalization;
using System.Text;

namespace ClassifSae.Reporting;

/// <summary>How numbers and names are written into the report's Markdown.</summary>
internal static class ReportText
{
    /// <summary>Shown for a cell that was never measured — never 0, which would read as a result.</summary>
    public const string Missing = "—";

    /// <summary>
    /// A fixed number of decimals by magnitude, so a column lines up and compares at a glance: 3 below 10 (0.937, 1.000),
    /// 2 below 100, 1 below 1000, none above; below 0.01 three significant digits in scientific form (5.58e-4).
    /// </summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value)) return Missing;
        var a = Math.Abs(value);
        var format = a == 0 ? "0" : a < 0.01 ? "0.00e+0" : a < 10 ? "F3" : a < 100 ? "F2" : a < 1000 ? "F1" : "F0";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string Cell(double mean, double? std, long n) =>
        n > 1 && std is { } s ? $"{Number(mean)} ± {Number(s)}" : Number(mean);

    public static string Timestamp(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Escapes Markdown syntax in a table cell; underscores inside words are left alone (ag_news), since they cannot start emphasis.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Missing;
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var intraword = c == '_' && i > 0 && i < text.Length - 1 && char.IsLetterOrDigit(text[i - 1]) && char.IsLetterOrDigit(text[i + 1]);
            if ("\\`*[]<>|#!~".Contains(c) || (c == '_' && !intraword)) sb.Append('\\');
            sb.Append(c is '\n' or '\r' ? ' ' : c);
        }
        return sb.ToString();
    }
}

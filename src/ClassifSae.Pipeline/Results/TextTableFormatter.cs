using System.Text;

namespace ClassifSae.Results;

/// <summary>Aligned plain-text table for terminals: header, dashed rule, one line per row; numbers right-aligned, NULL shown as "NULL".</summary>
public static class TextTableFormatter
{
    public static string Format(QueryResult result)
    {
        var cells = result.Rows.Select(r => r.Select(v => CellText.Format(v) ?? "NULL").ToArray()).ToList();
        var widths = result.Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var numeric = result.Columns.Select((_, i) => result.Rows.Count > 0 && result.Rows.All(r => r[i] is null || CellText.IsNumeric(r[i]))).ToArray();

        var sb = new StringBuilder();
        AppendLine(sb, result.Columns.Select((c, i) => Pad(c, widths[i], numeric[i])));
        AppendLine(sb, widths.Select(w => new string('-', w)));
        foreach (var row in cells)
            AppendLine(sb, row.Select((c, i) => Pad(c, widths[i], numeric[i])));
        sb.Append('(').Append(result.Rows.Count).Append(result.Rows.Count == 1 ? " row)" : " rows)").Append('\n');
        return sb.ToString();
    }

    private static string Pad(string text, int width, bool right) => right ? text.PadLeft(width) : text.PadRight(width);

    private static void AppendLine(StringBuilder sb, IEnumerable<string> parts) =>
        sb.Append(string.Join("  ", parts).TrimEnd()).Append('\n');
}

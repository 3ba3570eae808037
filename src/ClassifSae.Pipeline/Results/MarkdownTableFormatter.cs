using System.Text;

namespace ClassifSae.Results;

/// <summary>GitHub-style pipe table; pipes are escaped, line breaks become &lt;br&gt;, NULL is an empty cell.</summary>
public static class MarkdownTableFormatter
{
    public static string Format(QueryResult result)
    {
        var sb = new StringBuilder();
        AppendRow(sb, result.Columns);
        AppendRow(sb, result.Columns.Select((_, i) =>
            result.Rows.Count > 0 && result.Rows.All(r => r[i] is null || CellText.IsNumeric(r[i])) ? "---:" : "---"));
        foreach (var row in result.Rows)
            AppendRow(sb, row.Select(v => CellText.Format(v) ?? ""));
        return sb.ToString();
    }

    /// <summary>Makes arbitrary text safe inside one pipe-table cell.</summary>
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace("|", "\\|").Replace("\r\n", "<br>").Replace("\n", "<br>").Replace("\r", "<br>");

    internal static void AppendRow(StringBuilder sb, IEnumerable<string> cells) => AppendRowRaw(sb, cells.Select(Escape));

    /// <summary>Appends cells that the caller has already made table-safe.</summary>
    internal static void AppendRowRaw(StringBuilder sb, IEnumerable<string> cells) =>
        sb.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");
}

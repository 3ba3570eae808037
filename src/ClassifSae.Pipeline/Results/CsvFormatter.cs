using System.Text;

namespace ClassifSae.Results;

/// <summary>RFC 4180 CSV with a header row and "\n" line ends; NULL is an empty field.</summary>
public static class CsvFormatter
{
    public static string Format(QueryResult result)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", result.Columns.Select(Quote))).Append('\n');
        foreach (var row in result.Rows)
            sb.Append(string.Join(",", row.Select(v => Quote(CellText.Format(v) ?? "")))).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}

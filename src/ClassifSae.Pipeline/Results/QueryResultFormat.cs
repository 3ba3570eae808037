namespace ClassifSae.Results;

/// <summary>Output formats for a <see cref="QueryResult"/> (e.g. for a CLI "--format" option).</summary>
public enum QueryResultFormat { Text, Csv, Json, Markdown }

public static class QueryResultFormatting
{
    public static string Format(this QueryResult result, QueryResultFormat format) => format switch
    {
        QueryResultFormat.Text => TextTableFormatter.Format(result),
        QueryResultFormat.Csv => CsvFormatter.Format(result),
        QueryResultFormat.Json => JsonFormatter.Format(result),
        QueryResultFormat.Markdown => MarkdownTableFormatter.Format(result),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}

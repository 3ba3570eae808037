using DuckDB.NET.Data;

namespace ClassifSae.Data;

/// <summary>
/// Reads one split of a labelled text data set from the files users have — the Hugging Face dataset repos'
/// Parquet files, CSV or JSON lines — through DuckDB, which reads all three natively (globs allowed). A label is a class
/// index, or a class name (ham, spam) mapped to its position in <c>class_names</c>.
/// </summary>
public static class TabularSplitReader
{
    /// <param name="classNames">Text labels are looked up here (exact, then ignoring case); null = integer labels only.</param>
    public static IReadOnlyList<(string Text, long Label)> Read(string pattern, string textColumn, string labelColumn, string what,
        IReadOnlyList<string>? classNames = null)
    {
        var files = Glob(pattern);
        if (files.Count == 0) throw new FileNotFoundException($"{what}: no file matches {pattern}", pattern);
        var reader = Reader(files[0], what);
        var list = string.Join(", ", files.Select(f => $"'{f.Replace("'", "''")}'"));
        try
        {
            return ReadRows(files, reader, list, textColumn, labelColumn, what, classNames ?? []);
        }
        catch (DuckDBException e)
        {
            throw new InvalidDataException($"{what}: {Describe(files, pattern, e)}");
        }
    }

    private static List<(string Text, long Label)> ReadRows(List<string> files, string reader, string list, string textColumn, string labelColumn, string what,
        IReadOnlyList<string> classNames)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var columns = Columns(connection, $"{reader}([{list}])");
        foreach (var (column, role) in new[] { (textColumn, "text"), (labelColumn, "label") })
            if (!columns.Contains(column, StringComparer.Ordinal))
                throw new InvalidDataException($"{what}: {files[0]} has no {role} column '{column}' (columns: {string.Join(", ", columns)})");
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT CAST({Quote(textColumn)} AS VARCHAR), TRY_CAST({Quote(labelColumn)} AS BIGINT), CAST({Quote(labelColumn)} AS VARCHAR) FROM {reader}([{list}])";
        using var r = cmd.ExecuteReader();
        var rows = new List<(string, long)>();
        while (r.Read())
        {
            var label = !r.IsDBNull(1) ? r.GetInt64(1) : ClassIndex(r.IsDBNull(2) ? "" : r.GetString(2), classNames)
                ?? throw new InvalidDataException($"{what}: row {rows.Count} has the label '{(r.IsDBNull(2) ? "" : r.GetString(2))}', which is neither a class index " +
                    $"nor one of class_names [{string.Join(", ", classNames)}]");
            rows.Add((r.IsDBNull(0) ? "" : r.GetString(0), label));
        }
        return rows;
    }

    /// <summary>The position of a text label in class_names: exact match first, then ignoring case and surrounding spaces.</summary>
    private static long? ClassIndex(string label, IReadOnlyList<string> classNames)
    {
        for (var i = 0; i < classNames.Count; i++)
            if (classNames[i] == label) return i;
        var trimmed = label.Trim();
        for (var i = 0; i < classNames.Count; i++)
            if (string.Equals(classNames[i].Trim(), trimmed, StringComparison.OrdinalIgnoreCase)) return i;
        return null;
    }

    /// <summary>DuckDB's reader errors run to many lines of hints; the user gets the file and the gist.</summary>
    private static string Describe(List<string> files, string pattern, DuckDBException e)
    {
        var file = files.FirstOrDefault(f => e.Message.Contains(f, StringComparison.Ordinal)) ?? (files.Count == 1 ? files[0] : pattern);
        if (e.Message.Contains("unicode", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase))
            return $"{file} is not UTF-8 text; re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8 IN > OUT)";
        var first = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return $"{file} could not be read: {(first.Length > 200 ? first[..200] + "…" : first)}";
    }

    private static string Reader(string file, string what) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".parquet" => "read_parquet",
        ".csv" or ".tsv" => "read_csv_auto",
        ".json" or ".jsonl" or ".ndjson" => "read_json_auto",
        var ext => throw new InvalidDataException($"{what}: {file}: unsupported file type '{ext}' (expected .parquet, .csv, .tsv, .jsonl or .json)"),
    };

    private static List<string> Columns(DuckDBConnection connection, string source)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"DESCRIBE SELECT * FROM {source}";
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>Files matching a path with * or ** wildcards (DuckDB's glob), in ordinal order so shards stay in order.</summary>
    public static List<string> Glob(string pattern)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT file FROM glob($pattern)";
        cmd.Parameters.Add(new DuckDBParameter("pattern", Path.GetFullPath(pattern)));
        using var r = cmd.ExecuteReader();
        var files = new List<string>();
        while (r.Read()) files.Add(r.GetString(0));
        return files.Order(StringComparer.Ordinal).ToList();
    }
}

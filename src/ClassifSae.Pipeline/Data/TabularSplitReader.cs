using DuckDB.NET.Data;

namespace ClassifSae.Data;

/// <summary>
/// Reads one split of a labelled text data set from the files users have — the Hugging Face dataset repos'
/// Parquet files, CSV or JSON lines — through DuckDB, which reads all three natively (globs allowed).
/// </summary>
public static class TabularSplitReader
{
    /// <param name="classNames">when given, a label equal to one of these names is its index (string labels); others must be integers</param>
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
        var byName = classNames.Select((n, i) => (n, i)).GroupBy(p => p.n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.First().i, StringComparer.Ordinal);
        while (r.Read())
        {
            var raw = r.IsDBNull(2) ? null : r.GetString(2);
            // A class name first (string labels such as "positive"), else the integer class index.
            if (raw is not null && byName.TryGetValue(raw, out var index)) rows.Add((r.IsDBNull(0) ? "" : r.GetString(0), index));
            else if (!r.IsDBNull(1)) rows.Add((r.IsDBNull(0) ? "" : r.GetString(0), r.GetInt64(1)));
            else throw new InvalidDataException(raw is null or ""
                ? $"{what}: row {rows.Count} has an empty label"
                : $"{what}: row {rows.Count} has label '{raw}', which is neither a class index nor a class name" +
                  (classNames.Count > 0 ? $" ({string.Join(", ", classNames)})" : " (the data set names no classes)"));
        }
        return rows;
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

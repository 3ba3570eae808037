namespace ClassifSae.Results;

public sealed partial class ResultsStore
{
    /// <summary>
    /// Writes the result of <paramref name="sql"/> (a SELECT, or a table or view name) to a Parquet file with DuckDB's
    /// <c>COPY ... TO ... (FORMAT PARQUET)</c>. The file is written under a temporary name and renamed, so readers never see half a file.
    /// </summary>
    /// <returns>The number of rows written.</returns>
    public long ExportParquet(string sql, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var query = sql.Trim().TrimEnd(';').Trim();
        var source = query.Any(char.IsWhiteSpace) ? $"({query})" : query;
        var tmp = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"COPY {source} TO '{tmp.Replace("'", "''")}' (FORMAT PARQUET)";
            var rows = cmd.ExecuteNonQuery();
            File.Move(tmp, full, overwrite: true);
            return rows;
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}

using DuckDB.NET.Data;

namespace ClassifSae.Results;

public sealed partial class ResultsStore
{
    /// <summary>
    /// Opens the store for reading only (<c>classifsae query</c>): every statement that would change it (INSERT, DELETE,
    /// DROP, ...) fails, and unless <paramref name="allowFileExport"/> DuckDB may not touch other files either (COPY ... TO,
    /// reading CSVs). DuckDB lets a file be open in one writing process or in reading processes, never both, so a long
    /// query on the file itself would make every stage wait. Instead the file is copied under DuckDB's shared lock (held
    /// only for the copy; waits like <see cref="Open"/> while a stage writes) and the query runs on that snapshot, deleted
    /// on dispose. An older schema is upgraded in the snapshot only; the store file is never written.
    /// </summary>
    /// <param name="allowFileExport">Let SQL write files (needed by <see cref="ExportParquet"/>); the store stays read-only.</param>
    /// <exception cref="FileNotFoundException">There is no store at <paramref name="path"/>.</exception>
    public static ResultsStore OpenReadOnly(string path, bool allowFileExport = false, TimeSpan? lockTimeout = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{full}: no results store yet (run a pipeline stage first)", full);
        var folder = Directory.CreateTempSubdirectory("classifsae-store-snapshot-").FullName;
        try
        {
            var snapshot = System.IO.Path.Combine(folder, System.IO.Path.GetFileName(full));
            using (LockRetry.Run(full, () => Connect(ReadOnlyConnectionString(full, allowFileExport: false)), lockTimeout ?? LockRetry.DefaultTimeout))
            {
                // No writer can hold the file while we hold the shared lock, so the database and its write-ahead log are consistent.
                File.Copy(full, snapshot);
                if (File.Exists(full + ".wal")) File.Copy(full + ".wal", snapshot + ".wal");
            }
            int version;
            using (var upgrade = Connect(new DuckDBConnectionStringBuilder { DataSource = snapshot }.ConnectionString))
            {
                version = SchemaInitializer.Apply(upgrade, full);
                ReferenceResults.EnsureLoaded(upgrade);
            }
            var connection = Connect(ReadOnlyConnectionString(snapshot, allowFileExport));
            return new ResultsStore(full, connection, version, folder);
        }
        catch
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Runs every statement of <paramref name="sql"/> in order and reads each one's whole result.</summary>
    /// <exception cref="ArgumentException">The SQL is empty or holds no statement.</exception>
    public IReadOnlyList<QueryResult> QueryAll(string sql)
    {
        if (string.IsNullOrWhiteSpace(sql)) throw new ArgumentException("the SQL is empty; give a statement such as \"SELECT * FROM runs\"", nameof(sql));
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        var results = new List<QueryResult>();
        DuckDBDataReader reader;
        try
        {
            reader = cmd.ExecuteReader();
        }
        catch (DuckDBException e) when (e.Message == new System.Runtime.InteropServices.ExternalException().Message)
        {
            // DuckDB.NET's message-less reaction to SQL that parses to no statement at all (only comments or semicolons).
            throw new ArgumentException("DuckDB found no statement to run in the SQL (only comments or semicolons?)", nameof(sql));
        }
        using (reader)
        {
            do results.Add(ReadAll(reader));
            while (reader.NextResult());
        }
        return results;
    }

    private static string ReadOnlyConnectionString(string path, bool allowFileExport) =>
        $"{new DuckDBConnectionStringBuilder { DataSource = path }.ConnectionString};ACCESS_MODE=READ_ONLY"
        + (allowFileExport ? "" : ";enable_external_access=false");
}

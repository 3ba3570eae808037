using DuckDB.NET.Data;

namespace ClassifSae.Results;

/// <summary>Brings an opened store to the current schema: creates a new one, migrates an older one, refuses a newer one.</summary>
internal static class SchemaInitializer
{
    /// <returns>The schema version the store is at afterwards (always <see cref="SchemaMigrations.Current"/>).</returns>
    public static int Apply(DuckDBConnection connection, string path)
    {
        if (SchemaScript.DeclaredVersion != SchemaMigrations.Current)
            throw new InvalidOperationException(
                $"Embedded schema.sql declares version {SchemaScript.DeclaredVersion} but the code expects {SchemaMigrations.Current}.");

        var tableCount = Convert.ToInt64(Scalar(connection,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"));
        if (tableCount == 0)
        {
            Create(connection);
            return SchemaMigrations.Current;
        }

        var hasInfo = Convert.ToInt64(Scalar(connection,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'schema_info'")) > 0;
        if (!hasInfo)
            throw new InvalidDataException($"'{path}' is a DuckDB file but not a ClassifSae results store (no schema_info table).");

        var found = Scalar(connection, "SELECT max(version) FROM schema_info");
        var version = found is null ? 0 : Convert.ToInt32(found);
        if (version > SchemaMigrations.Current)
            throw new InvalidDataException(
                $"Results store '{path}' has schema version {version}, newer than version {SchemaMigrations.Current} supported by this ClassifSae build; upgrade ClassifSae to read it.");
        if (version < 1)
            throw new InvalidDataException($"Results store '{path}' has no schema version recorded in schema_info.");
        if (version < SchemaMigrations.Current)
            Migrate(connection, path, version);
        return SchemaMigrations.Current;
    }

    private static void Create(DuckDBConnection connection)
    {
        using var tx = connection.BeginTransaction();
        Execute(connection, SchemaScript.Tables);
        Execute(connection, SchemaScript.Views);
        RecordVersion(connection, SchemaMigrations.Current, SchemaMigrations.CurrentDescription);
        StoreFaults.At(StoreFaults.SchemaBeforeCommit);
        tx.Commit();
    }

    private static void Migrate(DuckDBConnection connection, string path, int from)
    {
        using var tx = connection.BeginTransaction();
        foreach (var view in SchemaScript.ViewNames.Reverse())
            Execute(connection, $"DROP VIEW IF EXISTS {view}");
        foreach (var migration in SchemaMigrations.All.Where(m => m.ToVersion > from).OrderBy(m => m.ToVersion))
        {
            try
            {
                Execute(connection, migration.Sql);
            }
            catch (DuckDBException e)
            {
                throw new InvalidDataException(
                    $"Could not migrate results store '{path}' to schema version {migration.ToVersion}: {e.Message}", e);
            }
            RecordVersion(connection, migration.ToVersion, migration.Description);
        }
        Execute(connection, SchemaScript.Views);
        StoreFaults.At(StoreFaults.SchemaBeforeCommit);
        tx.Commit();
    }

    private static void RecordVersion(DuckDBConnection connection, int version, string description)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO schema_info (version, applied_at, description) VALUES ($version, $applied_at, $description)";
        cmd.Parameters.Add(new DuckDBParameter("version", version));
        cmd.Parameters.Add(new DuckDBParameter("applied_at", UtcTimestamp.ToStored(DateTime.UtcNow)));
        cmd.Parameters.Add(new DuckDBParameter("description", description));
        cmd.ExecuteNonQuery();
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }
}

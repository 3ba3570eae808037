using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace ClassifSae.Results;

/// <summary>
/// The DuckDB file that collects every run, stage and metric (layout: results-db/schema.sql).
/// Each write method is one transaction. DuckDB allows a single writing process per file,
/// so keep a store open only while writing or reporting.
/// </summary>
public sealed partial class ResultsStore : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly string? _snapshotFolder;

    private ResultsStore(string path, DuckDBConnection connection, int schemaVersion, string? snapshotFolder = null)
    {
        Path = path;
        _connection = connection;
        SchemaVersion = schemaVersion;
        _snapshotFolder = snapshotFolder;
    }

    /// <summary>Full path of the store file.</summary>
    public string Path { get; }

    /// <summary>Schema version of the open store (after any migration).</summary>
    public int SchemaVersion { get; }

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentSchemaVersion => SchemaMigrations.Current;

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating its folder and file if needed and
    /// upgrading an older schema in place. Waits up to <paramref name="lockTimeout"/> (default 30 s)
    /// while another process holds the file.
    /// </summary>
    /// <exception cref="InvalidDataException">The file was written by a newer schema version, or is not a results store.</exception>
    /// <exception cref="IOException">The file stayed locked by another process.</exception>
    public static ResultsStore Open(string path, TimeSpan? lockTimeout = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connectionString = new DuckDBConnectionStringBuilder { DataSource = full }.ConnectionString;
        var connection = LockRetry.Run(full, () => Connect(connectionString), lockTimeout ?? LockRetry.DefaultTimeout);
        try
        {
            var version = SchemaInitializer.Apply(connection, full);
            ReferenceResults.EnsureLoaded(connection);
            return new ResultsStore(full, connection, version);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Inserts the run, or replaces the row with the same run_id.</summary>
    public void RecordRun(RunRecord run)
    {
        RequireRun(run);
        using var tx = _connection.BeginTransaction();
        InsertRun(run);
        tx.Commit();
    }

    private void InsertRun(RunRecord run)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO runs (run_id, profile, model, dataset, method, seed, config_json, config_hash,
                              git_commit, versions_json, device, dtype, threads, created_at, cpu_model, method_version, rope_scaling)
            VALUES ($run_id, $profile, $model, $dataset, $method, $seed, $config_json, $config_hash,
                    $git_commit, $versions_json, $device, $dtype, $threads, $created_at, $cpu_model, $method_version, $rope_scaling)
            ON CONFLICT (run_id) DO UPDATE SET
                profile = excluded.profile, model = excluded.model, dataset = excluded.dataset,
                method = excluded.method, seed = excluded.seed, config_json = excluded.config_json,
                config_hash = excluded.config_hash, git_commit = excluded.git_commit,
                versions_json = excluded.versions_json, device = excluded.device, dtype = excluded.dtype,
                threads = excluded.threads, created_at = excluded.created_at, cpu_model = excluded.cpu_model,
                method_version = excluded.method_version, rope_scaling = excluded.rope_scaling
            """;
        Add(cmd, "run_id", run.RunId);
        Add(cmd, "profile", run.Profile);
        Add(cmd, "model", run.Model);
        Add(cmd, "dataset", run.Dataset);
        Add(cmd, "method", run.Method);
        Add(cmd, "seed", run.Seed);
        Add(cmd, "config_json", run.ConfigJson);
        Add(cmd, "config_hash", run.ConfigHash);
        Add(cmd, "git_commit", run.GitCommit);
        Add(cmd, "versions_json", run.VersionsJson);
        Add(cmd, "device", run.Device);
        Add(cmd, "dtype", run.Dtype);
        Add(cmd, "threads", run.Threads);
        Add(cmd, "created_at", UtcTimestamp.ToStored(run.CreatedAt));
        Add(cmd, "cpu_model", run.CpuModel);
        Add(cmd, "method_version", run.MethodVersion);
        Add(cmd, "rope_scaling", run.RopeScaling);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Inserts the stage, or replaces the row with the same (run_id, stage). The run must be recorded first.</summary>
    public void RecordStage(StageRecord stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        Require(stage.Stage, nameof(stage.Stage));
        Require(stage.Status, nameof(stage.Status));
        using var tx = _connection.BeginTransaction();
        RequireRunsExist([stage.RunId]);
        UpsertStage(stage);
        tx.Commit();
    }

    private void UpsertStage(StageRecord stage)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO stages (run_id, stage, status, started_at, finished_at, seconds, manifest_path)
            VALUES ($run_id, $stage, $status, $started_at, $finished_at, $seconds, $manifest_path)
            ON CONFLICT (run_id, stage) DO UPDATE SET
                status = excluded.status, started_at = excluded.started_at, finished_at = excluded.finished_at,
                seconds = excluded.seconds, manifest_path = excluded.manifest_path
            """;
        Add(cmd, "run_id", stage.RunId);
        Add(cmd, "stage", stage.Stage);
        Add(cmd, "status", stage.Status);
        Add(cmd, "started_at", UtcTimestamp.ToStored(stage.StartedAt));
        Add(cmd, "finished_at", stage.FinishedAt is { } f ? UtcTimestamp.ToStored(f) : null);
        Add(cmd, "seconds", stage.Seconds);
        Add(cmd, "manifest_path", stage.ManifestPath);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Appends all rows in one transaction (all or none). Every row's run must be recorded first.</summary>
    public void AppendMetrics(IReadOnlyList<MetricRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return;
        ValidateMetrics(rows);
        using var tx = _connection.BeginTransaction();
        RequireRunsExist(rows.Select(r => r.RunId).Distinct().ToList());
        InsertMetrics(rows);
        tx.Commit();
    }

    private static void ValidateMetrics(IReadOnlyList<MetricRow> rows)
    {
        foreach (var row in rows)
        {
            Require(row.Stage, nameof(row.Stage));
            Require(row.Model, nameof(row.Model));
            Require(row.Dataset, nameof(row.Dataset));
            Require(row.Split, nameof(row.Split));
            if (!SnakeCase().IsMatch(row.Key.Metric))
                throw new ArgumentException($"Metric name '{row.Metric}' is not snake_case (e.g. recovery_accuracy).", nameof(rows));
        }
    }

    private void InsertMetrics(IReadOnlyList<MetricRow> rows)
    {
        var now = DateTime.UtcNow;
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO metrics (run_id, stage, model, dataset, method, seed, split, metric, value, recorded_at, formula_version, encoder,
                                 class, ablation_pct, k)
            VALUES ($run_id, $stage, $model, $dataset, $method, $seed, $split, $metric, $value, $recorded_at, $formula_version, $encoder,
                    $class, $ablation_pct, $k)
            """;
        foreach (var row in rows)
        {
            cmd.Parameters.Clear();
            var key = row.Key;
            Add(cmd, "run_id", row.RunId);
            Add(cmd, "stage", row.Stage);
            Add(cmd, "model", row.Model);
            Add(cmd, "dataset", row.Dataset);
            Add(cmd, "method", row.Method);
            Add(cmd, "seed", row.Seed);
            Add(cmd, "split", row.Split);
            Add(cmd, "metric", key.Metric);
            Add(cmd, "value", row.Value);
            Add(cmd, "recorded_at", UtcTimestamp.ToStored(row.RecordedAt ?? now));
            Add(cmd, "formula_version", row.FormulaVersion);
            Add(cmd, "encoder", row.Encoder);
            Add(cmd, "class", key.Class);
            Add(cmd, "ablation_pct", key.AblationPct);
            Add(cmd, "k", key.K);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Runs any SQL (usually a SELECT over the tables and views) and reads the whole result.</summary>
    /// <param name="parameters">Bound as $name in the SQL.</param>
    public QueryResult Query(string sql, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
            Add(cmd, name, value);
        using var reader = cmd.ExecuteReader();
        return ReadAll(reader);
    }

    private static QueryResult ReadAll(DuckDBDataReader reader)
    {
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<IReadOnlyList<object?>>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                {
                    DateTime t => UtcTimestamp.FromStored(t),
                    var v => v,
                };
            rows.Add(row);
        }
        return new QueryResult(columns, rows);
    }

    public void Dispose()
    {
        _connection.Dispose();
        if (_snapshotFolder is not null)
        {
            try { Directory.Delete(_snapshotFolder, recursive: true); }
            catch (IOException) { }
        }
    }

    private static DuckDBConnection Connect(string connectionString)
    {
        var c = new DuckDBConnection(connectionString);
        try
        {
            c.Open();
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    private void RequireRunsExist(IReadOnlyList<string> runIds)
    {
        foreach (var id in runIds)
        {
            Require(id, "RunId");
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM runs WHERE run_id = $run_id";
            Add(cmd, "run_id", id);
            if (Convert.ToInt64(cmd.ExecuteScalar()) == 0)
                throw new InvalidOperationException($"Run '{id}' is not recorded in '{Path}'; call RecordRun before recording its stages or metrics.");
        }
    }

    private static void Add(DuckDBCommand cmd, string name, object? value) =>
        cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));

    private static void RequireRun(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Require(run.RunId, nameof(run.RunId));
        Require(run.Profile, nameof(run.Profile));
        Require(run.Model, nameof(run.Model));
        Require(run.Dataset, nameof(run.Dataset));
        Require(run.MethodVersion, nameof(run.MethodVersion));
    }

    private static void Require(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} must not be empty.", name);
    }

    // Snake case, checked on the stored name (packed names such as reconstruction_f1-score_0 are split first).
    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}

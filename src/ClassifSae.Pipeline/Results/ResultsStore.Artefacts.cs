namespace ClassifSae.Results;

public sealed partial class ResultsStore
{
    /// <summary>Replaces every artefact of (<paramref name="runId"/>, <paramref name="stage"/>) with <paramref name="rows"/>, in one transaction.</summary>
    public void ReplaceArtefacts(string runId, string stage, IReadOnlyList<ArtefactRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Require(stage, nameof(stage));
        if (rows.Any(r => r.RunId != runId || r.Stage != stage))
            throw new ArgumentException($"Every artefact must belong to run '{runId}', stage '{stage}'.", nameof(rows));
        using var tx = _connection.BeginTransaction();
        RequireRunsExist([runId]);
        ReplaceArtefactRows(runId, stage, rows);
        tx.Commit();
    }

    private void ReplaceArtefactRows(string runId, string stage, IReadOnlyList<ArtefactRecord> rows)
    {
        using (var delete = _connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM artefacts WHERE run_id = $run_id AND stage = $stage";
            Add(delete, "run_id", runId);
            Add(delete, "stage", stage);
            delete.ExecuteNonQuery();
        }
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "INSERT INTO artefacts (run_id, stage, path, bytes, sha256) VALUES ($run_id, $stage, $path, $bytes, $sha256)";
        foreach (var r in rows)
        {
            cmd.Parameters.Clear();
            Add(cmd, "run_id", r.RunId);
            Add(cmd, "stage", r.Stage);
            Add(cmd, "path", r.Path);
            Add(cmd, "bytes", r.Bytes);
            Add(cmd, "sha256", r.Sha256);
            cmd.ExecuteNonQuery();
        }
    }
}

namespace ClassifSae.Results;

/// <summary>The per-stage detail tables the report draws: concept_effects, concept_histograms, training_curves and confusion.</summary>
public sealed partial class ResultsStore
{
    private void ReplaceDetailRows(StageBatch batch)
    {
        var (runId, stage) = (batch.Run.RunId, batch.Stage.Stage);
        foreach (var method in batch.ConceptEffects.Select(e => e.Method).Concat(batch.Concepts.Select(c => c.Method)).Distinct())
            Delete("concept_effects", "run_id = $run_id AND method = $key", runId, method);
        Insert("INSERT INTO concept_effects VALUES ($a, $b, $c, $d, $e, $f, $g)", batch.ConceptEffects,
            e => [e.RunId, e.Method, e.Concept, e.ActiveSentences, e.LabelFlip, e.Tvd, e.AccChange]);
        foreach (var method in batch.ConceptHistograms.Select(h => h.Method).Concat(batch.Concepts.Select(c => c.Method)).Distinct())
            Delete("concept_histograms", "run_id = $run_id AND method = $key", runId, method);
        Insert("INSERT INTO concept_histograms VALUES ($a, $b, $c, $d, $e, $f, $g)", batch.ConceptHistograms,
            h => [h.RunId, h.Method, h.Concept, h.Bin, h.Lower, h.Upper, h.Sentences]);
        Delete("training_curves", "run_id = $run_id AND stage = $key", runId, stage);
        Insert("INSERT INTO training_curves VALUES ($a, $b, $c, $d, $e, $f, $g)", batch.Curves,
            c => [c.RunId, c.Stage, c.Curve, c.Term, c.XUnit, c.X, c.Value]);
        Delete("confusion", "run_id = $run_id AND stage = $key", runId, stage);
        Insert("INSERT INTO confusion VALUES ($a, $b, $c, $d, $e, $f, $g)", batch.Confusion,
            c => [c.RunId, c.Stage, c.Method, c.Split, c.TrueClass, c.PredictedClass, c.Count]);
    }

    private static void ValidateDetailRows(StageBatch batch)
    {
        var (runId, stage) = (batch.Run.RunId, batch.Stage.Stage);
        if (batch.ConceptEffects.Any(e => e.RunId != runId) || batch.ConceptHistograms.Any(h => h.RunId != runId) || batch.Curves.Any(c => c.RunId != runId || c.Stage != stage)
            || batch.Confusion.Any(c => c.RunId != runId || c.Stage != stage))
            throw new ArgumentException($"Every concept effect, curve point and confusion count must belong to run '{runId}', stage '{stage}'.", nameof(batch));
        if (batch.ConceptEffects.Any(e => !double.IsFinite(e.LabelFlip) || !double.IsFinite(e.Tvd) || !double.IsFinite(e.AccChange))
            || batch.Curves.Any(c => !double.IsFinite(c.X) || !double.IsFinite(c.Value))
            || batch.ConceptHistograms.Any(h => !double.IsFinite(h.Lower) || !double.IsFinite(h.Upper) || h.Sentences < 0))
            throw new ArgumentException($"Run '{runId}', stage '{stage}': concept effects, histograms and curve points must be finite numbers (histogram counts at least 0).", nameof(batch));
    }

    private bool HoldsDetailRows(StageBatch batch)
    {
        var (runId, stage) = (batch.Run.RunId, batch.Stage.Stage);
        var args = new Dictionary<string, object?> { ["run"] = runId, ["stage"] = stage };
        if (Count("SELECT count(*) FROM training_curves WHERE run_id = $run AND stage = $stage", args) != batch.Curves.Count) return false;
        if (Count("SELECT count(*) FROM confusion WHERE run_id = $run AND stage = $stage", args) != batch.Confusion.Count) return false;
        foreach (var method in batch.ConceptEffects.Select(e => e.Method).Distinct())
            if (Count("SELECT count(*) FROM concept_effects WHERE run_id = $run AND method = $method",
                    new Dictionary<string, object?> { ["run"] = runId, ["method"] = method }) != batch.ConceptEffects.Count(e => e.Method == method))
                return false;
        foreach (var method in batch.ConceptHistograms.Select(h => h.Method).Distinct())
            if (Count("SELECT count(*) FROM concept_histograms WHERE run_id = $run AND method = $method",
                    new Dictionary<string, object?> { ["run"] = runId, ["method"] = method }) != batch.ConceptHistograms.Count(h => h.Method == method))
                return false;
        return true;
    }

    private void Delete(string table, string where, string runId, string key)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"DELETE FROM {table} WHERE {where}";
        Add(cmd, "run_id", runId);
        Add(cmd, "key", key);
        cmd.ExecuteNonQuery();
    }

    private void Insert<T>(string sql, IEnumerable<T> rows, Func<T, object?[]> values)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var row in rows)
        {
            cmd.Parameters.Clear();
            var v = values(row);
            for (var i = 0; i < v.Length; i++) Add(cmd, ((char)('a' + i)).ToString(), v[i]);
            cmd.ExecuteNonQuery();
        }
    }
}

namespace ClassifSae.Results;

public sealed partial class ResultsStore
{
    /// <summary>
    /// Writes one finished stage as a single transaction: run row, this result's metrics (rows of the same run, stage and
    /// finish time are replaced), artefacts, concepts and top sentences, and the stage row last. A crash or a full disk
    /// anywhere inside leaves the store as it was; recording the same batch again repairs an incomplete store and adds no copies.
    /// </summary>
    public void RecordStageBatch(StageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        RequireRun(batch.Run);
        var (runId, stage) = (batch.Run.RunId, batch.Stage.Stage);
        Require(stage, "Stage.Stage");
        Require(batch.Stage.Status, "Stage.Status");
        if (batch.Stage.RunId != runId || batch.Metrics.Any(m => m.RunId != runId || m.Stage != stage))
            throw new ArgumentException($"The stage row and every metric must belong to run '{runId}', stage '{stage}'.", nameof(batch));
        if (batch.Artefacts.Any(a => a.RunId != runId || a.Stage != stage))
            throw new ArgumentException($"Every artefact must belong to run '{runId}', stage '{stage}'.", nameof(batch));
        ValidateMetrics(batch.Metrics);
        foreach (var m in batch.Concepts) ValidateConcepts(runId, m.Method, m.Concepts, m.Sentences);
        ValidateDetailRows(batch);

        using (var tx = _connection.BeginTransaction())
        {
            InsertRun(batch.Run);
            StoreFaults.At(StoreFaults.AfterRun);
            DeleteMetricsOf(batch);
            InsertMetrics(batch.Metrics);
            StoreFaults.At(StoreFaults.AfterMetrics);
            ReplaceArtefactRows(runId, stage, batch.Artefacts);
            StoreFaults.At(StoreFaults.AfterArtefacts);
            foreach (var m in batch.Concepts)
            {
                ReplaceConceptRows(runId, m.Method, m.Concepts, m.Sentences);
                StoreFaults.At(StoreFaults.AfterConcepts);
            }
            ReplaceDetailRows(batch);
            UpsertStage(batch.Stage);
            StoreFaults.At(StoreFaults.BeforeCommit);
            tx.Commit();
        }
        StoreFaults.At(StoreFaults.AfterCommit);
    }

    /// <summary>Records a run and its metrics (a run without stages, such as a Bench run) in one transaction: both or neither.</summary>
    public void RecordRunWithMetrics(RunRecord run, IReadOnlyList<MetricRow> metrics)
    {
        RequireRun(run);
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Any(m => m.RunId != run.RunId))
            throw new ArgumentException($"Every metric must belong to run '{run.RunId}'.", nameof(metrics));
        ValidateMetrics(metrics);
        using var tx = _connection.BeginTransaction();
        InsertRun(run);
        StoreFaults.At(StoreFaults.AfterRun);
        InsertMetrics(metrics);
        StoreFaults.At(StoreFaults.AfterMetrics);
        StoreFaults.At(StoreFaults.BeforeCommit);
        tx.Commit();
    }

    /// <summary>
    /// True when the store holds all of <paramref name="batch"/>: the stage row with the same finish time, as many metric
    /// rows of that result as the batch has, the same number of artefacts, and every method's concepts and top sentences.
    /// False for a store an older build left half-written, so the caller records the batch again.
    /// </summary>
    public bool HoldsStageBatch(StageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (runId, stage) = (batch.Run.RunId, batch.Stage.Stage);
        var args = new Dictionary<string, object?> { ["run"] = runId, ["stage"] = stage };
        var finished = Query("SELECT finished_at FROM stages WHERE run_id = $run AND stage = $stage", args).Rows;
        if (finished.Count == 0 || !Equals(finished[0][0], batch.Stage.FinishedAt is { } f ? UtcTimestamp.FromStored(UtcTimestamp.ToStored(f)) : null))
            return false;
        if (MetricCountOf(batch) != batch.Metrics.Count) return false;
        if (Count("SELECT count(*) FROM artefacts WHERE run_id = $run AND stage = $stage", args) != batch.Artefacts.Count) return false;
        if (!HoldsDetailRows(batch)) return false;
        foreach (var m in batch.Concepts)
        {
            var byMethod = new Dictionary<string, object?> { ["run"] = runId, ["method"] = m.Method };
            if (Count("SELECT count(*) FROM concepts WHERE run_id = $run AND method = $method", byMethod) != m.Concepts.Count
                || Count("SELECT count(*) FROM top_sentences WHERE run_id = $run AND method = $method", byMethod) != m.Sentences.Count)
                return false;
        }
        return true;
    }

    // A stage result's metrics are the rows of its (run, stage) recorded at its finish time; other times are earlier
    // results of the same run (kept as history), so they are neither counted nor deleted.
    private void DeleteMetricsOf(StageBatch batch)
    {
        foreach (var recordedAt in RecordedTimes(batch))
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "DELETE FROM metrics WHERE run_id = $run_id AND stage = $stage AND recorded_at = $recorded_at";
            Add(cmd, "run_id", batch.Run.RunId);
            Add(cmd, "stage", batch.Stage.Stage);
            Add(cmd, "recorded_at", UtcTimestamp.ToStored(recordedAt));
            cmd.ExecuteNonQuery();
        }
    }

    private long MetricCountOf(StageBatch batch) => RecordedTimes(batch).Sum(t => Count(
        "SELECT count(*) FROM metrics WHERE run_id = $run AND stage = $stage AND recorded_at = $at",
        new Dictionary<string, object?> { ["run"] = batch.Run.RunId, ["stage"] = batch.Stage.Stage, ["at"] = UtcTimestamp.ToStored(t) }));

    private static IEnumerable<DateTime> RecordedTimes(StageBatch batch)
    {
        if (batch.Metrics.Any(m => m.RecordedAt is null))
            throw new ArgumentException("Every metric of a stage batch needs RecordedAt (the stage's finish time), so a rerun can find and replace it.", nameof(batch));
        return batch.Metrics.Select(m => UtcTimestamp.ToStored(m.RecordedAt!.Value)).Distinct();
    }

    private long Count(string sql, IReadOnlyDictionary<string, object?> args) => Convert.ToInt64(Query(sql, args).Rows[0][0]);
}

using System.Text.Json;
using ClassifSae.Pipeline.Ingest;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Results;

namespace ClassifSae.Pipeline;

/// <summary>
/// Writes a finished stage into the results store: the run (config and provenance), the stage row, its metrics, the
/// files it wrote (artefacts, from its manifest) and, for Evaluate, its concepts and top sentences — in short-lived
/// connections so other processes can write in between. A skipped (up-to-date) stage is written only if the store does
/// not have it yet (artefacts and concepts are filled in when an older store lacks them), so re-running never duplicates rows.
/// </summary>
public sealed class StoreIngest(RunContext ctx)
{
    public void Record(StageCompletion done)
    {
        using var store = ResultsStore.Open(ctx.StorePath);
        if (done.Skipped && AlreadyStored(store, done))
        {
            if (!HasArtefacts(store, done)) RecordDetails(store, done);
            return;
        }
        var p = done.Manifest.Provenance;
        store.RecordRun(new RunRecord(
            done.RunId, ctx.Profile.Name, done.Key.Model, done.Key.Dataset, null, (int)ctx.Seed,
            JsonSerializer.Serialize(ctx.Profile, Profile.JsonOptions), Hashing.Config(ctx.Profile), p.GitCommit,
            JsonSerializer.Serialize(new { classifsae = p.ClassifSaeVersion, torchsharp = p.TorchSharpVersion, libtorch = p.LibTorchVersion, dotnet = p.DotnetVersion, os = p.Os }),
            p.Device, p.Dtype, p.Threads, done.Manifest.StartedAt));
        store.RecordStage(new StageRecord(done.RunId, done.Manifest.Stage, done.Manifest.Status, done.Manifest.StartedAt,
            done.Manifest.FinishedAt, done.Manifest.Seconds, Path.Combine(done.Folder, StageManifest.FileName)));
        store.AppendMetrics(done.Metrics.Select(m => new MetricRow(done.RunId, done.Manifest.Stage, done.Key.Model, done.Key.Dataset,
            m.Method, (int)ctx.Seed, m.Split, m.Metric, m.Value, m.FormulaVersion, done.Manifest.FinishedAt, m.Encoder)).ToList());
        RecordDetails(store, done);
    }

    private void RecordDetails(ResultsStore store, StageCompletion done)
    {
        store.ReplaceArtefacts(done.RunId, done.Manifest.Stage, done.Manifest.Outputs
            .Select(o => new ArtefactRecord(done.RunId, done.Manifest.Stage, Path.GetFullPath(Path.Combine(done.Folder, o.Path)), o.Bytes, o.Sha256))
            .ToList());
        if (done.Manifest.Stage == StageNames.Evaluate) RecordConcepts(store, done);
    }

    private void RecordConcepts(ResultsStore store, StageCompletion done)
    {
        foreach (var method in EvaluationFiles.Find(done.Folder))
        {
            var saeFolder = Path.Combine(ctx.StageDir(StageNames.Train, done.Key), method.Method);
            var rates = SaeConceptFiles.ActivationRatesPct(saeFolder);
            var pca = TryPca(saeFolder, done.Key, method.NConcepts);
            var source = $"{StageNames.Train}/{method.Method}/{Concepts.Sae.SaeFolderFiles.Sparsity}";
            var (concepts, sentences) = EvaluationFiles.Read(done.RunId, method, rates, source, pca);
            store.ReplaceConcepts(done.RunId, method.Method, concepts, sentences);
        }
    }

    /// <summary>The PCA figure is a nicety: a missing or unreadable cache leaves the coordinates empty instead of failing the run.</summary>
    private IReadOnlyDictionary<int, (double X, double Y)>? TryPca(string saeFolder, PipelineKey key, int nConcepts)
    {
        try
        {
            return SaeConceptFiles.DecoderPca(saeFolder, CacheStage.SplitDir(ctx.StageDir(StageNames.Cache, key), "test"),
                Enumerable.Range(0, nConcepts).ToList());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ctx.Log($"concept PCA skipped for {key}: {e.Message}");
            return null;
        }
    }

    private static bool AlreadyStored(ResultsStore store, StageCompletion done) => Count(store, "stages", done) > 0;

    private static bool HasArtefacts(ResultsStore store, StageCompletion done) => Count(store, "artefacts", done) > 0;

    // The run id carries the full config hash, so a stored (run, stage) is this very result.
    private static long Count(ResultsStore store, string table, StageCompletion done) => Convert.ToInt64(
        store.Query($"SELECT count(*) FROM {table} WHERE run_id = $run AND stage = $stage",
            new Dictionary<string, object?> { ["run"] = done.RunId, ["stage"] = done.Manifest.Stage }).Rows[0][0]);
}

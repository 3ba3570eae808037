using System.Text.Json;
using ClassifSae.Pipeline.Ingest;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Results;

namespace ClassifSae.Pipeline;

/// <summary>
/// Writes a finished stage into the results store as ONE transaction (<see cref="ResultsStore.RecordStageBatch"/>): the run
/// (config and provenance), its metrics, the files it wrote (artefacts, from its manifest, with paths relative to the runs
/// folder), for Evaluate its concepts and top sentences, and the stage row last. It reads only the finished stage's own
/// folder. A skipped (up-to-date) stage is written again unless the store already holds all of it, so a rerun after a
/// kill or a full disk repairs the store and never duplicates rows.
/// </summary>
public sealed class StoreIngest(RunContext ctx)
{
    public void Record(StageCompletion done)
    {
        var batch = Batch(done);
        using var store = ResultsStore.Open(ctx.StorePath);
        if (done.Skipped && store.HoldsStageBatch(batch)) return;
        store.RecordStageBatch(batch);
    }

    /// <summary>Everything the store keeps about <paramref name="done"/>, read from its folder before the store is opened.</summary>
    public StageBatch Batch(StageCompletion done)
    {
        var p = done.Manifest.Provenance;
        var stage = done.Manifest.Stage;
        var run = new RunRecord(
            done.RunId, ctx.Profile.Name, done.Key.Model, done.Key.Dataset, null, (int)ctx.Seed,
            JsonSerializer.Serialize(ctx.Profile, Profile.JsonOptions), Hashing.Config(ctx.Profile), p.GitCommit,
            JsonSerializer.Serialize(new { classifsae = p.ClassifSaeVersion, torchsharp = p.TorchSharpVersion, libtorch = p.LibTorchVersion, dotnet = p.DotnetVersion, os = p.Os }),
            p.Device, RunDtype(done.Key, p.Dtype), p.Threads, done.Manifest.StartedAt, p.CpuModel, ctx.Profile.MethodVersion, RopeScaling(done.Key));
        var stageRow = new StageRecord(done.RunId, stage, done.Manifest.Status, done.Manifest.StartedAt,
            done.Manifest.FinishedAt, done.Manifest.Seconds, RelativeToRuns(Path.Combine(done.Folder, StageManifest.FileName)));
        // The finish time marks this stage result's metric rows, so a rerun finds and replaces exactly them.
        var recordedAt = done.Manifest.FinishedAt;
        var metrics = done.Metrics.Select(m => new MetricRow(done.RunId, stage, done.Key.Model, done.Key.Dataset,
            m.Method, (int)ctx.Seed, m.Split, m.Metric, m.Value, m.FormulaVersion, recordedAt, m.Encoder, m.Class)).ToList();
        var artefacts = done.Manifest.Outputs
            .Select(o => new ArtefactRecord(done.RunId, stage, RelativeToRuns(Path.Combine(done.Folder, o.Path)), o.Bytes, o.Sha256))
            .ToList();
        var concepts = stage == StageNames.Evaluate
            ? EvaluationFiles.Find(done.Folder).Select(m =>
            {
                var (c, s) = EvaluationFiles.Read(done.RunId, m);
                return new MethodConcepts(m.Method, c, s);
            }).ToList()
            : [];
        return new StageBatch(run, stageRow, metrics, artefacts, concepts)
        {
            Curves = StageDetailFiles.Curves(done.RunId, stage, done.Folder),
            Confusion = StageDetailFiles.Confusion(done.RunId, stage, done.Folder),
            ConceptEffects = StageDetailFiles.ConceptEffects(done.RunId, stage, done.Folder),
            ConceptHistograms = StageDetailFiles.ConceptHistograms(done.RunId, stage, done.Folder),
        };
    }

    /// <summary>
    /// The run's dtype: the model's compute dtype when the profile sets one (Cache and Evaluate run in it; a run is one profile
    /// configuration, so every stage of it writes the same value), else the stage's. Each stage's manifest keeps its own.
    /// </summary>
    private string RunDtype(PipelineKey key, string stageDtype) =>
        ctx.Profile.Models.TryGetValue(key.Model, out var m) && m.ComputeDtype is { } name ? name : stageDtype;

    /// <summary>The rope scaling of the cell's fine-tuned model folder (every stage of a run reads the same one), or null before it exists.</summary>
    private string? RopeScaling(PipelineKey key)
    {
        var model = new FineTuneArtifacts(ctx.StageDir(StageNames.FineTune, key)).ModelDir;
        try { return Backbones.RopeScalingChoice.Describe(model); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
    }

    /// <summary>'/'-separated path below the runs folder, so a moved runs folder still resolves.</summary>
    private string RelativeToRuns(string path) => Path.GetRelativePath(ctx.RunsDir, path).Replace('\\', '/');
}

using System.Text.Json;
using ClassifSae.Results;

namespace ClassifSae.Pipeline;

/// <summary>
/// Writes a finished stage into the results store: the run (config and provenance), the stage row and its
/// metrics, in short-lived connections so other processes can write in between. A skipped (up-to-date) stage
/// is written only if the store does not have it yet, so re-running never duplicates rows.
/// </summary>
public sealed class StoreIngest(RunContext ctx)
{
    public void Record(StageCompletion done)
    {
        using var store = ResultsStore.Open(ctx.StorePath);
        if (done.Skipped && AlreadyStored(store, done)) return;
        var p = done.Manifest.Provenance;
        store.RecordRun(new RunRecord(
            done.RunId, ctx.Profile.Name, done.Key.Model, done.Key.Dataset, null, (int)ctx.Seed,
            JsonSerializer.Serialize(ctx.Profile, Profile.JsonOptions), Hashing.Config(ctx.Profile), p.GitCommit,
            JsonSerializer.Serialize(new { classifsae = p.ClassifSaeVersion, torchsharp = p.TorchSharpVersion, libtorch = p.LibTorchVersion, dotnet = p.DotnetVersion, os = p.Os }),
            p.Device, p.Dtype, p.Threads, done.Manifest.StartedAt));
        store.RecordStage(new StageRecord(done.RunId, done.Manifest.Stage, done.Manifest.Status, done.Manifest.StartedAt,
            done.Manifest.FinishedAt, done.Manifest.Seconds, Path.Combine(done.Folder, StageManifest.FileName)));
        store.AppendMetrics(done.Metrics.Select(m => new MetricRow(done.RunId, done.Manifest.Stage, done.Key.Model, done.Key.Dataset,
            m.Method, (int)ctx.Seed, m.Split, m.Metric, m.Value, m.FormulaVersion, done.Manifest.FinishedAt)).ToList());
    }

    private static bool AlreadyStored(ResultsStore store, StageCompletion done)
    {
        // The run id carries the full config hash, so a stored (run, stage) is this very result.
        var r = store.Query("SELECT count(*) FROM stages WHERE run_id = $run AND stage = $stage",
            new Dictionary<string, object?> { ["run"] = done.RunId, ["stage"] = done.Manifest.Stage });
        return Convert.ToInt64(r.Rows[0][0]) > 0;
    }
}

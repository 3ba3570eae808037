using System.Diagnostics;
using System.Text.Json;
using ClassifSae.Formats;

namespace ClassifSae.Pipeline;

/// <summary>
/// Runs one stage for one (model, data set): skips it when its manifest says it is up to date, otherwise runs
/// it into a temporary folder and renames that into place only when complete, so an interrupted stage never
/// leaves a folder that looks valid.
/// </summary>
public static class StageRunner
{
    public const string MetricsFile = "metrics.json";

    public delegate IReadOnlyList<MetricRecord> StageBody(string outputFolder);

    public static StageManifest Run(RunContext ctx, string stage, PipelineKey key, object config,
        IReadOnlyDictionary<string, StageManifest> inputs, StageBody body)
    {
        var folder = ctx.StageDir(stage, key);
        using var stageLock = StageLock.Acquire(folder, $"{stage} {key} (seed {ctx.Seed})", ctx.Log);
        StageFolderSwap.Recover(folder);
        RemoveStaleTemporaries(folder);
        var inputHashes = inputs.ToDictionary(kv => kv.Key, kv => kv.Value.ContentHash());
        // The compute settings change numbers (thread count: reduction order; device and dtype: kernels), so they are part of the identity.
        var configHash = Hashing.Sha256(Hashing.Config(config) + "|seed=" + ctx.Seed + "|" + ComputeIdentity(ctx) + "|" +
                                        string.Join("|", inputHashes.OrderBy(kv => kv.Key).Select(kv => kv.Key + "=" + kv.Value)));
        var existing = StageManifest.TryLoad(folder);
        if (!ctx.Force && existing is not null && existing.Status == "complete" && existing.ConfigHash == configHash
            && existing.OutputsIntact(folder))
        {
            ctx.Log($"{stage} {key}: up to date (config {configHash[..10]}), skipped; --force redoes it");
            ctx.Ingest?.Invoke(new StageCompletion(ctx.RunId(key), key, existing, folder, ReadMetrics(folder), Skipped: true));
            return existing;
        }

        var tmp = folder + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        IReadOnlyList<MetricRecord> metrics;
        try
        {
            using (StageLog.Begin(tmp))
            {
                ctx.Log($"{stage} {key}: started (seed {ctx.Seed}, config {configHash[..10]}, {ComputeIdentity(ctx)})");
                metrics = body(tmp);
                ctx.Log($"{stage} {key}: finished in {clock.Elapsed.TotalSeconds:F1} s");
            }
            AtomicFile.WriteAllText(Path.Combine(tmp, MetricsFile), JsonSerializer.Serialize(metrics, Profile.JsonOptions));
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        var manifest = new StageManifest
        {
            Stage = stage, Model = key.Model, Dataset = key.Dataset, ConfigHash = configHash, Inputs = inputHashes,
            Outputs = StageManifest.Describe(tmp), StartedAt = started, FinishedAt = DateTime.UtcNow,
            Seconds = clock.Elapsed.TotalSeconds, Provenance = ctx.Provenance(),
        };
        manifest.Save(tmp);
        StageFolderSwap.Replace(folder, tmp);
        ctx.Log($"{stage} {key}: done in {manifest.Seconds:F1} s");
        ctx.Ingest?.Invoke(new StageCompletion(ctx.RunId(key), key, manifest, folder, metrics, Skipped: false));
        return manifest;
    }

    /// <summary>The settings outside the profile that change a compute stage's numbers.</summary>
    public static string ComputeIdentity(RunContext ctx) => $"threads={ctx.Threads}|device={ctx.DeviceName}|dtype={ctx.Dtype}";

    /// <summary>The manifest of an upstream stage, or a clear error telling which stage to run.</summary>
    public static StageManifest Require(RunContext ctx, string stage, PipelineKey key)
    {
        var folder = ctx.StageDir(stage, key);
        var m = StageManifest.TryLoad(folder);
        if (m is null && StageFolderSwap.HasSetAside(folder))
        {
            using (StageLock.Acquire(folder, $"{stage} {key} (seed {ctx.Seed})", ctx.Log)) StageFolderSwap.Recover(folder);
            m = StageManifest.TryLoad(folder);
        }
        if (m is null || m.Status != "complete")
            throw new UserError($"{folder}: no completed {stage} stage for {key} (run `classifsae {stage.ToLowerInvariant()} --profile {ctx.Profile.Name}` first)");
        return m;
    }

    public static IReadOnlyList<MetricRecord> ReadMetrics(string folder)
    {
        var path = Path.Combine(folder, MetricsFile);
        if (!File.Exists(path)) return [];
        return JsonSerializer.Deserialize<List<MetricRecord>>(File.ReadAllText(path), Profile.JsonOptions) ?? [];
    }

    /// <summary>Half-written folders of killed runs (<c>stage.tmp-PID</c>) are never read; clear them once we hold the lock.</summary>
    private static void RemoveStaleTemporaries(string folder)
    {
        var parent = Path.GetDirectoryName(folder)!;
        if (!Directory.Exists(parent)) return;
        foreach (var dir in Directory.GetDirectories(parent, Path.GetFileName(folder) + ".tmp-*")) TryDelete(dir);
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
    }
}

using System.Text.Json;
using ClassifSae.Caching;
using ClassifSae.Concepts;
using ClassifSae.Concepts.Sae;
using ClassifSae.Pipeline.TensorBoard;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Pipeline.Stages;

/// <summary>
/// Train (spec 01 §3, spec 02 §2): every selected concept method on the cached train-split states, each into
/// <c>train/&lt;method&gt;/</c>. A method whose saved folder was trained from the same settings and inputs is
/// copied from the previous Train output instead of being trained again.
/// </summary>
public static class TrainStage
{
    public const string MethodFolder = "classifsae";

    public static string MethodDir(string trainFolder, string method) => Path.Combine(trainFolder, method);

    public static StageManifest Run(RunContext ctx, PipelineKey key)
    {
        var upstream = StageRunner.Require(ctx, StageNames.Cache, key);
        var methods = ctx.SelectedMethods();
        // Train's owned sections, narrowed to what the selected methods read (an edit of an unselected method's section redoes nothing).
        var settings = methods.ToDictionary(m => m, m => (object)ctx.Profile.MethodSettings(m));
        // A paper-2025 run hashes as runs did before method_version existed (the paper's method is what they ran), so their
        // folders stay up to date; another version adds itself.
        object config = ctx.Profile.MethodVersion == global::ClassifSae.Settings.MethodVersion.Paper2025
            ? new { methods, settings }
            : new { methods, settings, method_version = ctx.Profile.MethodVersion };
        return StageRunner.Run(ctx, StageNames.Train, key, config,
            new Dictionary<string, StageManifest> { [StageNames.Cache] = upstream },
            dir => Execute(ctx, key, dir, methods, upstream.ContentHash()));
    }

    private static IReadOnlyList<MetricRecord> Execute(RunContext ctx, PipelineKey key, string dir, IReadOnlyList<string> methods, string cacheHash)
    {
        var trainDir = CacheStage.SplitDir(ctx.StageDir(StageNames.Cache, key), "train");
        // The states are read only if a method asks for them (not ClassifSAE with the faithful shard loader).
        using var train = new LazySplit(trainDir);
        var (predicted, dIn) = ActivationShards.ReadLabels(trainDir);
        // The loader and the preflight checked what they knew; the cached width and row count are certain only now
        // (a files data set's size): check every method before the first one trains.
        var check = new Settings.SettingsCheck();
        ProfileValidation.CheckMethods(ctx.Profile, methods, dIn, predicted.Length, check);
        check.ThrowIfAny(problem => new UserError($"profile '{ctx.Profile.Name}': {problem} (model '{key.Model}', data set '{key.Dataset}')"));
        var ft = new FineTuneArtifacts(ctx.StageDir(StageNames.FineTune, key));
        var hookLayer = ft.ModelShape().DecisionHookLayer;
        var previous = ctx.StageDir(StageNames.Train, key);
        var metrics = new List<MetricRecord>();
        foreach (var m in methods)
        {
            var method = ConceptMethods.Get(m);
            var settings = ctx.Profile.MethodSettings(m);
            var hash = MethodHash(ctx, settings, method, cacheHash);
            var target = MethodDir(dir, m);
            if (!ctx.Force && TryReuse(MethodDir(previous, m), target, method, hash))
            {
                CopyEvents(previous, dir, m);
                ctx.Log($"{key}: {m} unchanged, reused from the previous Train output");
                metrics.AddRange(StageRunner.ReadMetrics(previous).Where(r => r.Method == m));
                continue;
            }
            using var events = TensorBoardLog.Create(dir, m);
            var input = new ConceptTrainingInput
            {
                HiddenLoader = () => train.Value.Hidden, DIn = dIn, Predicted = predicted, Classes = ft.PromptSettings().Classes,
                Settings = settings, Seed = ctx.Seed, MethodVersion = ctx.Profile.MethodVersion, RowsPerShard = ShardIndex.ReadRowsPerShard(trainDir),
                Provenance = new ConceptProvenance(key.Model, $"blocks.{hookLayer}.hook_resid_pre", key.Dataset, ft.PromptSettings().MaxLength),
                Progress = ctx.Progress, Log = ctx.Log, Device = ctx.Device, TrainingLog = events,
                ActivationsFolder = Path.Combine(trainDir, ActivationShards.ActivationsFolder),
            };
            if (method.NeedsBackboneTail)
            {
                using var model = ft.Model();
                model.Module.to(ctx.Device);
                foreach (var p in model.Module.parameters()) p.requires_grad = false;
                model.Module.eval();
                var classes = input.Classes;
                using var labelIds = tensor(PromptEncoding.LabelTokens(model, ft.Tokenizer(), classes).Select(t => (long)t).ToArray(), device: ctx.Device);
                Tensor Tail(Tensor h) => model.Tail(h.to(ctx.Device), hookLayer, labelIds).cpu();
                metrics.AddRange(ConceptMethods.Train(method, input with { LabelLogits = Tail }, target, hash));
            }
            else metrics.AddRange(ConceptMethods.Train(method, input, target, hash));
        }
        return metrics;
    }

    /// <summary>
    /// Identity of one method's trained folder: a folder with this hash is reused instead of retrained. It holds the compute
    /// settings too, or a rerun with another thread count would copy the old numbers.
    /// </summary>
    public static string MethodHash(RunContext ctx, object settings, IConceptMethod method, string cacheHash) =>
        Hashing.Sha256($"{Hashing.Config(settings)}|v{method.FormatVersion}|seed={ctx.Seed}|{StageRunner.ComputeIdentity(ctx)}|cache={cacheHash}"
                       // Only a non-paper version adds itself, so folders trained before the key existed are still reused.
                       + (ctx.Profile.MethodVersion == global::ClassifSae.Settings.MethodVersion.Paper2025 ? "" : $"|method_version={ctx.Profile.MethodVersion}"));

    /// <summary>A reused method keeps the TensorBoard run of the training that made it.</summary>
    private static void CopyEvents(string previousStage, string stage, string method)
    {
        var source = TensorBoardLog.RunFolder(previousStage, method);
        if (!Directory.Exists(source)) return;
        var target = TensorBoardLog.RunFolder(stage, method);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>The train split, read from its shards on first use and disposed with the stage.</summary>
    private sealed class LazySplit(string folder) : IDisposable
    {
        private CachedSplit? _split;
        public CachedSplit Value => _split ??= ActivationShards.Read(folder);
        public void Dispose() => _split?.Dispose();
    }

    private static bool TryReuse(string source, string target, IConceptMethod method, string hash)
    {
        var file = MethodFile.TryLoad(source);
        if (file is null || file.Method != method.Key || file.FormatVersion != method.FormatVersion || file.TrainingHash != hash) return false;
        if (StageManifest.TryLoad(Path.GetDirectoryName(source)!) is not { Status: "complete" } manifest
            || !manifest.OutputsIntact(Path.GetDirectoryName(source)!)) return false;
        CopyDirectory(source, target);
        return true;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(source)) CopyDirectory(d, Path.Combine(target, Path.GetFileName(d)));
    }
}

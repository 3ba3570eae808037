using TorchSharp;
using ClassifSae.Caching;
using ClassifSae.FineTuning;

namespace ClassifSae.Pipeline.Stages;

/// <summary>
/// Cache (spec 01 §2): the residual stream entering the last block at the decision token, for every train and
/// test sentence. Train shards are row-shuffled as in the original; test shards keep dataset order and also
/// hold the label-restricted logits of the full forward (needed by recovery accuracy).
/// </summary>
public static class CacheStage
{
    public static string SplitDir(string cacheFolder, string split) => Path.Combine(cacheFolder, split);

    public static StageManifest Run(RunContext ctx, PipelineKey key)
    {
        var upstream = StageRunner.Require(ctx, StageNames.FineTune, key);
        var config = new { cache = ctx.Profile.Cache, max_length = ctx.Profile.FineTune.MaxLength };
        return StageRunner.Run(ctx, StageNames.Cache, key, config,
            new Dictionary<string, StageManifest> { [StageNames.FineTune] = upstream },
            dir => Execute(ctx, key, dir));
    }

    private static IReadOnlyList<MetricRecord> Execute(RunContext ctx, PipelineKey key, string dir)
    {
        var ft = new FineTuneArtifacts(ctx.StageDir(StageNames.FineTune, key));
        var dataset = ft.Dataset();
        var tokenizer = ft.Tokenizer();
        using var model = ft.Model();
        model.to(ctx.Device);
        var template = PromptEncoding.Template(dataset, ctx.Profile.Datasets[key.Dataset]);
        var labelTokens = PromptEncoding.LabelTokens(tokenizer, dataset.ClassCount);
        var hook = model.Config.DecisionHookLayer;
        var metrics = new List<MetricRecord>();
        foreach (var (split, rows) in new[] { ("train", dataset.Train), ("test", dataset.Test) })
        {
            var prompts = PromptEncoding.FullPrompts(rows, template, tokenizer);
            using var pass = DecisionPass.Run(model, prompts, hook, labelTokens, tokenizer.PadId, ctx.Profile.Cache.BatchSize,
                ctx.Profile.FineTune.MaxLength, ctx.Device, ctx.Progress, $"cache blocks.{hook}.hook_resid_pre ({split})");
            var predicted = pass.Predictions();
            var saved = ft.PredictedLabels(split);
            var disagree = predicted.Zip(saved).Count(p => p.First != p.Second);
            if (disagree > 0) ctx.Log($"note: {disagree} {split} predictions differ from the FineTune stage's (float noise from batching)");
            using var cached = new CachedSplit(pass.Hidden.alias(), saved, rows.Select(r => (long)r.Index).ToArray(),
                rows.Select(r => (long)r.Label).ToArray(), split == "test" ? pass.LabelLogits.alias() : null);
            var shards = ActivationShards.Write(SplitDir(dir, split), cached, ctx.Profile.Cache.RowsPerShard,
                split == "train" ? ctx.Seed : null);
            ctx.Log($"cached {cached.Count} {split} states of width {model.Config.HiddenSize} in {shards.Count} shard(s)");
            metrics.Add(new MetricRecord("cached_rows", cached.Count, split));
        }
        return metrics;
    }
}

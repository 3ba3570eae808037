using TorchSharp;
using ClassifSae.Caching;
using ClassifSae.Backbones;

namespace ClassifSae.Pipeline.Stages;

/// <summary>
/// Cache (spec 01 §2): the residual stream entering the last block at the decision token, for every train and
/// test sentence. Train shards are row-shuffled as in the original; test shards keep dataset order and also
/// hold the label-restricted logits of the full forward (needed by recovery accuracy). The forward and the writing stream
/// shard by shard (<see cref="DecisionPass.Stream"/>, <see cref="ActivationShardWriter"/>).
/// </summary>
public static class CacheStage
{
    public static string SplitDir(string cacheFolder, string split) => Path.Combine(cacheFolder, split);

    public static StageManifest Run(RunContext ctx, PipelineKey key)
    {
        ctx = InferenceDtype.For(ctx, key);
        var upstream = StageRunner.Require(ctx, StageNames.FineTune, key);
        var config = StageRegistry.OwnedSettings(ctx, key, StageNames.Cache);
        return StageRunner.Run(ctx, StageNames.Cache, key, config,
            new Dictionary<string, StageManifest> { [StageNames.FineTune] = upstream },
            dir => Execute(ctx, key, dir));
    }

    private static IReadOnlyList<MetricRecord> Execute(RunContext ctx, PipelineKey key, string dir)
    {
        var ft = new FineTuneArtifacts(ctx.StageDir(StageNames.FineTune, key));
        var dataset = ft.Dataset();
        var tokenizer = ft.Tokenizer();
        using var model = InferenceDtype.Load(ctx, key, ft);
        model.Module.to(ctx.Device);
        var prompt = ft.PromptSettings();
        var template = new Text.PromptTemplate(dataset.ClassNames, prompt.SpaceBeforeFinalNewline);
        var labelTokens = PromptEncoding.LabelTokens(model, tokenizer, dataset.ClassCount);
        var hook = model.Shape.DecisionHookLayer;
        using var softPrompt = ft.SoftPrompt();
        var metrics = new List<MetricRecord>();
        foreach (var (split, rows) in new[] { ("train", dataset.Train), ("test", dataset.Test) })
        {
            var prompts = PromptEncoding.FullPrompts(model, rows, template, tokenizer);
            var saved = ft.PredictedLabels(split);
            var sentence = rows.Select(r => (long)r.Index).ToArray();
            var truth = rows.Select(r => (long)r.Label).ToArray();
            var rowsPerShard = ctx.Profile.Cache.RowsPerShard;
            // Streamed: the forward runs one shard of prompts at a time and each shard is on disk before the next is computed,
            // so resident memory is one shard of states whatever the split's size.
            using var writer = new ActivationShardWriter(SplitDir(dir, split), rowsPerShard, split == "train" ? ctx.Seed : null);
            var disagree = 0;
            foreach (var (start, chunk) in DecisionPass.Stream(model, prompts, hook, labelTokens, tokenizer.PadId, ctx.Profile.Cache.BatchSize,
                         prompt.MaxLength, ctx.Device, ctx.Progress, $"cache {model.Shape.HookName} ({split})", rowsPerShard, softPrompt))
            {
                using (chunk)
                {
                    var range = start..(start + (int)chunk.Hidden.size(0));
                    disagree += chunk.Predictions().Zip(saved[range]).Count(p => p.First != p.Second);
                    writer.Append(chunk.Hidden, saved[range], sentence[range], truth[range], split == "test" ? chunk.LabelLogits : null);
                }
            }
            var shards = writer.Complete();
            if (disagree > 0) ctx.Log($"note: {disagree} {split} predictions differ from the FineTune stage's (float noise from batching)");
            ctx.Log($"cached {prompts.Count} {split} states of width {model.Shape.HiddenSize} in {shards.Count} shard(s)");
            metrics.Add(new MetricRecord("cached_rows", prompts.Count, split));
        }
        return metrics;
    }
}

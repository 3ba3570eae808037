using System.Text.Json;
using ClassifSae.Caching;
using ClassifSae.Concepts.Sae;
using ClassifSae.Formats;
using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Pipeline.Stages;

/// <summary>Train (spec 01 §3): ClassifSAE on the cached train-split states, supervised by the LLM's predicted labels.</summary>
public static class TrainStage
{
    public const string MethodFolder = "classifsae";
    public const string CurveFile = "training_curve.json";

    public static StageManifest Run(RunContext ctx, PipelineKey key)
    {
        var upstream = StageRunner.Require(ctx, StageNames.Cache, key);
        var config = new { classif_sae = ctx.Profile.ClassifSae };
        return StageRunner.Run(ctx, StageNames.Train, key, config,
            new Dictionary<string, StageManifest> { [StageNames.Cache] = upstream },
            dir => Execute(ctx, key, dir));
    }

    public static ClassifSaeOptions Options(ClassifSaeSpec s, int dIn, int classes, long rows, long seed) => new()
    {
        DIn = dIn,
        DSae = s.ExpansionFactor * dIn,
        K = s.K,
        NConcepts = s.NConcepts,
        NbClasses = classes,
        LambdaMse = s.LambdaMse,
        LambdaAR = s.LambdaActivationRate,
        LambdaCls = s.LambdaClassifier,
        Tau = s.ActivationRate,
        TotalSteps = s.Steps,
        BatchSize = s.BatchSize,
        Lr = s.LearningRate,
        LrEnd = s.LearningRateEnd,
        LrDecaySteps = s.LearningRateDecaySteps,
        NoiseScale = s.NoiseScale,
        UseGhostGrads = s.GhostGrads,
        LenEpoch = rows,
        Seed = seed,
        HistoryEvery = 10,
    };

    private static IReadOnlyList<MetricRecord> Execute(RunContext ctx, PipelineKey key, string dir)
    {
        using var train = ActivationShards.Read(CacheStage.SplitDir(ctx.StageDir(StageNames.Cache, key), "train"));
        var classes = ctx.Profile.Datasets[key.Dataset].ClassCount;
        var dIn = (int)train.Hidden.size(1);
        var options = Options(ctx.Profile.ClassifSae, dIn, classes, train.Count, ctx.Seed);
        options.Validate();
        TorchRuntime.Seed(ctx.Seed);
        using var sae = new TopKSae(options.Shape, ctx.Seed);
        using var y = tensor(train.Predicted);
        using var batches = new InMemoryActivationBatches(train.Hidden, y, options.BatchSize, ctx.Seed);
        TrainingResult result;
        using (var bar = ctx.Progress.Begin($"train ClassifSAE (d_sae {options.DSae}, k {options.K})", options.TotalSteps))
        {
            result = ClassifSaeTrainer.Train(sae, batches, options, r =>
            {
                bar.Advance();
                if (r.Step % 50 == 0) bar.Status($"loss {r.Total:F4} acc {r.ClassifierAccuracy:F3} rate {r.ConceptActivationRate:F3}");
            });
        }
        using var sparsity = result.Sparsity;
        using var stepsSinceFired = result.StepsSinceFired;
        var hookLayer = new FineTuneArtifacts(ctx.StageDir(StageNames.FineTune, key)).ModelConfig().DecisionHookLayer;
        SaeFolder.Save(Path.Combine(dir, MethodFolder), sae,
            new SaeProvenance(key.Model, $"blocks.{hookLayer}.hook_resid_pre", key.Dataset), options.Weights, sparsity, options);
        AtomicFile.WriteAllText(Path.Combine(dir, CurveFile), JsonSerializer.Serialize(result.History, Profile.JsonOptions));
        var last = result.History.Count > 0 ? result.History[^1] : null;
        var metrics = new List<MetricRecord> { new("dead_features", result.DeadFeatures, "train", MethodFolder) };
        if (last is not null)
        {
            metrics.Add(new MetricRecord("sae_final_loss", last.Total, "train", MethodFolder));
            metrics.Add(new MetricRecord("sae_head_accuracy", last.ClassifierAccuracy, "train", MethodFolder));
        }
        ctx.Log($"ClassifSAE trained: {options.TotalSteps} steps, {result.DeadFeatures} dead features, final loss {last?.Total:F4}");
        return metrics;
    }
}

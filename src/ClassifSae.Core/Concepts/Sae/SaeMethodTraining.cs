using TorchSharp;
using System.Text.Json;
using ClassifSae.Formats;
using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>Shared by the ClassifSAE and plain-SAE methods: train a TopK SAE on the input and save it as a SAELens folder.</summary>
public static class SaeMethodTraining
{
    public const string CurveFile = "training_curve.json";

    public static (TrainingResult Result, StepReport? Last) TrainAndSave(ConceptTrainingInput input, ClassifSaeOptions options, string folder, string label)
    {
        TorchRuntime.Seed(input.Seed);
        // Initialised on the CPU from its own generator, then moved: the same seed gives the same start on every device.
        using var sae = new TopKSae(options.Shape, input.Seed);
        sae.to(input.Device);
        using var y = tensor(input.Predicted);
        using var batches = Batches(input, y, options);
        TrainingResult result;
        using (var bar = input.Progress.Begin($"train {label} (d_sae {options.DSae}, k {options.Settings.K})", options.Settings.Steps))
        {
            var head = options.Weights.IsClassifSae;
            result = ClassifSaeTrainer.Train(sae, batches, options, r =>
            {
                // The status first, so the line the step's advance prints shows this step's figures.
                if (r.Step % 50 == 0 || r.Step == options.Settings.Steps) bar.Status(SaeProgressText.For(r, head));
                bar.Advance();
                if (ClassifSaeTrainer.IsRecorded(options, r.Step)) SaeCurveLog.Write(input.TrainingLog, r, head);
            });
        }
        sae.to(CPU);
        using var sparsity = result.Sparsity.cpu();
        result.Sparsity.Dispose();
        using var stepsSinceFired = result.StepsSinceFired;
        var p = input.Provenance;
        SaeFolder.Save(folder, sae, new SaeProvenance(p.ModelName, p.HookName, p.Dataset, p.ContextSize), options.Weights, sparsity);
        AtomicFile.WriteAllText(Path.Combine(folder, CurveFile), JsonSerializer.Serialize(result.History, SnakeCaseJson.Options));
        var last = result.History.Count > 0 ? result.History[^1] : null;
        input.Log($"{label} trained: {options.Settings.Steps} steps, {result.DeadFeatures} dead features, final loss {last?.Total:F4}" +
                  (last is null ? "" : $", mse {last.Mse:F4}, explained variance {last.ExplainedVariance?.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) ?? "–"}, L0 {last.MeanL0:F1}" +
                                       (options.Weights.IsClassifSae ? $", {SaeProgressText.ConceptRateLabel} {last.ConceptActivationRate:F3}" : "")));
        return (result, last);
    }

    /// <summary>The SAE's data order: i.i.d. over the cache, or the original's half-file loader over the shards (<c>classif_sae.loader</c>).</summary>
    private static OwnedBatches Batches(ConceptTrainingInput input, Tensor y, ClassifSaeOptions options)
    {
        var batchSize = options.Settings.BatchSize;
        if (options.Settings.Loader != "faithful") return new OwnedBatches(new InMemoryActivationBatches(input.Hidden, y, batchSize, input.Seed));
        var folder = input.ActivationsFolder ?? throw new UserError("classif_sae.loader 'faithful' needs the train activation shards");
        // Each read takes half a shard, as the original's n_batches_in_buffer // 2 does.
        var rowsPerRead = Math.Max(batchSize, input.RowsPerShard / 2);
        return new OwnedBatches(new CachedActivationBatches(folder, options.DIn, batchSize, rowsPerRead, input.Seed));
    }

    /// <summary>Both loaders are disposable batch sources; one wrapper keeps the <c>using</c> above simple.</summary>
    private sealed class OwnedBatches(IActivationBatches inner) : IActivationBatches, IDisposable
    {
        public int DIn => inner.DIn;
        public int BatchSize => inner.BatchSize;
        public ActivationBatch Next() => inner.Next();
        public void Dispose() => (inner as IDisposable)?.Dispose();
    }
}

using System.Text.Json;
using ClassifSae.Formats;
using ClassifSae.Pipeline;
using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>Shared by the ClassifSAE and plain-SAE methods: train a TopK SAE on the input and save it as a SAELens folder.</summary>
public static class SaeMethodTraining
{
    public const string CurveFile = "training_curve.json";

    public static (TrainingResult Result, StepReport? Last) TrainAndSave(ConceptTrainingInput input, ClassifSaeOptions options, string folder, string label)
    {
        options.Validate();
        TorchRuntime.Seed(input.Seed);
        using var sae = new TopKSae(options.Shape, input.Seed);
        using var y = tensor(input.Predicted);
        using var batches = new InMemoryActivationBatches(input.Hidden, y, options.BatchSize, input.Seed);
        TrainingResult result;
        using (var bar = input.Progress.Begin($"train {label} (d_sae {options.DSae}, k {options.K})", options.TotalSteps))
        {
            result = ClassifSaeTrainer.Train(sae, batches, options, r =>
            {
                bar.Advance();
                if (r.Step % 50 == 0) bar.Status($"loss {r.Total:F4} acc {r.ClassifierAccuracy:F3} rate {r.ConceptActivationRate:F3}");
            });
        }
        using var sparsity = result.Sparsity;
        using var stepsSinceFired = result.StepsSinceFired;
        var p = input.Provenance;
        SaeFolder.Save(folder, sae, new SaeProvenance(p.ModelName, p.HookName, p.Dataset), options.Weights, sparsity, options);
        AtomicFile.WriteAllText(Path.Combine(folder, CurveFile), JsonSerializer.Serialize(result.History, Profile.JsonOptions));
        var last = result.History.Count > 0 ? result.History[^1] : null;
        input.Log($"{label} trained: {options.TotalSteps} steps, {result.DeadFeatures} dead features, final loss {last?.Total:F4}");
        return (result, last);
    }
}

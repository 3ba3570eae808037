using ClassifSae.Settings;
using System.Text.Json;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.ConceptShap;

/// <summary>
/// ConceptSHAP baseline (spec 02 §2.2), trained against the LLM's predicted train labels through the remaining
/// block. Folder: method.json (its settings, θ included), conceptshap_weights.safetensors with the original
/// state-dict names <c>concept</c> [d, n], <c>rec_vector_1</c> [n, h], <c>rec_vector_2</c> [h, d] (fp32), and
/// training_curve.json (per-epoch losses and the completeness diagnostic η). Candidates: every concept.
/// </summary>
public sealed class ConceptShapMethod : IConceptMethod
{
    public const string WeightsFile = "conceptshap_weights.safetensors";
    public const string CurveFile = TrainedConceptFolder.CurveFile;

    public string Key => "conceptshap";

    public string DisplayName => "ConceptSHAP";
    /// <summary>2: method.json's settings are the <c>concept_shap</c> section itself (version 1 nested it under that key); both load.</summary>
    public int FormatVersion => 2;
    public IReadOnlyList<int> ReadableFormatVersions => [1, 2];
    public bool NeedsBackboneTail => true;

    public IReadOnlyList<MetricRecord> Train(ConceptTrainingInput input, string folder)
    {
        var tail = input.LabelLogits ?? throw new InvalidOperationException("ConceptSHAP trains through the LLM tail: LabelLogits is required");
        var options = new ConceptShapOptions { Settings = input.SettingsOf<ConceptShapSettings>(), Seed = input.Seed };
        using var model = ConceptShapModel.For((int)input.Hidden.size(1), options.Settings, options.Seed);
        var stepsPerEpoch = (input.Hidden.size(0) - 1) / options.Settings.BatchSize;
        IReadOnlyList<ConceptShapEpoch> history;
        using (var bar = input.Progress.Begin($"train ConceptSHAP{(options.Settings.Version == MethodVersion.Upstream2026 ? " v2" : "")} ({options.Settings.NConcepts} concepts, θ {options.Settings.Threshold})", stepsPerEpoch * options.Settings.Epochs))
            history = ConceptShapTrainer.Train(model, input.Hidden, input.Predicted, input.Classes, tail, options, _ => bar.Advance(),
                e => LogEpoch(input.TrainingLog, e));
        TrainedConceptFolder.Write(folder, WeightsFile, model.NamedTensors, history);
        var last = history[^1];
        input.Log($"ConceptSHAP trained: {options.Settings.Epochs} epochs, completeness η {last.Completeness:F3}, prediction loss {last.Prediction:F4}");
        return
        [
            new MetricRecord("conceptshap_completeness", last.Completeness, "train", Key),
            new MetricRecord("conceptshap_prediction_loss", last.Prediction, "train", Key),
            new MetricRecord("conceptshap_reconstruction_accuracy", last.ReconstructionAccuracy, "train", Key),
        ];
    }

    /// <summary>An epoch's curve record (training_curve.json) as training-log scalars, step = epoch.</summary>
    private static void LogEpoch(Runtime.ITrainingLog log, ConceptShapEpoch e)
    {
        log.Scalar("loss/total", e.Epoch, e.Total);
        log.Scalar("loss/prediction", e.Epoch, e.Prediction);
        log.Scalar("loss/knn", e.Epoch, e.Knn);
        log.Scalar("loss/diversity", e.Epoch, e.Diversity);
        log.Scalar("completeness", e.Epoch, e.Completeness);
        log.Scalar("reconstruction_accuracy", e.Epoch, e.ReconstructionAccuracy);
    }

    public LoadedConcepts Load(string folder)
    {
        var file = MethodFile.Require(folder, this);
        var spec = (file.FormatVersion == 1 ? file.Settings["concept_shap"] : file.Settings).Deserialize<ConceptShapSettings>(SnakeCaseJson.Options)
                   ?? throw new InvalidDataException($"{folder}: method.json has no concept_shap settings");
        var path = Path.Combine(folder, WeightsFile);
        var tensors = SafetensorsFile.Read(path);
        try
        {
            if (!tensors.TryGetValue("concept", out var c)) throw new InvalidDataException($"{path}: missing tensor 'concept'");
            var model = ConceptShapModel.For((int)c.size(0), spec, seed: 0);
            using (no_grad())
                foreach (var (name, p) in model.NamedTensors)
                {
                    if (!tensors.TryGetValue(name, out var t) || !t.shape.SequenceEqual(p.shape))
                        throw new InvalidDataException($"{path}: tensor '{name}' missing or not of shape [{string.Join(",", p.shape)}]");
                    p.copy_(t);
                }
            model.eval();
            return new FirstConcepts(Key, new ConceptShapBottleneck(model), model.NConcepts, model);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}

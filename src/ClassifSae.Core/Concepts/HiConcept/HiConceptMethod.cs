using System.Text.Json;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.HiConcept;

/// <summary>
/// HI-Concept (spec 04 §5.2), upstream's fifth method, trained against the LLM's predicted train labels through the
/// remaining block. Folder: method.json (its settings), hiconcept_weights.safetensors with the original state-dict
/// names <c>concept</c> [d, n], <c>rec_vector_1</c> [n, h], <c>rec_vector_2</c> [h, d] (fp32), and training_curve.json
/// (per-epoch loss terms). Candidates: every concept, as for ConceptSHAP.
/// </summary>
public sealed class HiConceptMethod : IConceptMethod
{
    public const string WeightsFile = "hiconcept_weights.safetensors";
    public const string CurveFile = TrainedConceptFolder.CurveFile;

    public string Key => "hiconcept";
    public string DisplayName => "HI-Concept";
    public int FormatVersion => 1;
    public bool NeedsBackboneTail => true;

    public IReadOnlyList<MetricRecord> Train(ConceptTrainingInput input, string folder)
    {
        var tail = input.LabelLogits ?? throw new InvalidOperationException("HI-Concept trains through the LLM tail: LabelLogits is required");
        var settings = input.SettingsOf<HiConceptSettings>();
        using var model = new HiConceptModel((int)input.Hidden.size(1), settings.NConcepts, settings.HiddenDim, input.Seed);
        var stepsPerEpoch = (input.Hidden.size(0) - 1) / settings.BatchSize;
        IReadOnlyList<HiConceptEpoch> history;
        using (var bar = input.Progress.Begin($"train HI-Concept ({settings.NConcepts} concepts)", stepsPerEpoch * settings.Epochs))
            history = HiConceptTrainer.Train(model, input.Hidden, input.Predicted, tail, settings, input.Seed, _ => bar.Advance(),
                e => LogEpoch(input.TrainingLog, e));
        TrainedConceptFolder.Write(folder, WeightsFile, model.NamedTensors, history);
        var last = history[^1];
        input.Log($"HI-Concept trained: {settings.Epochs} epochs, prediction loss {last.Prediction:F4}, flip loss {last.Flip:F4}, agreement {last.ReconstructionAccuracy:F3}");
        return
        [
            new MetricRecord("hiconcept_prediction_loss", last.Prediction, "train", Key),
            new MetricRecord("hiconcept_reconstruction_loss", last.Reconstruction, "train", Key),
            new MetricRecord("hiconcept_flip_loss", last.Flip, "train", Key),
            new MetricRecord("hiconcept_reconstruction_accuracy", last.ReconstructionAccuracy, "train", Key),
        ];
    }

    /// <summary>An epoch's curve record (training_curve.json) as training-log scalars, step = epoch.</summary>
    private static void LogEpoch(Runtime.ITrainingLog log, HiConceptEpoch e)
    {
        log.Scalar("loss/total", e.Epoch, e.Total);
        log.Scalar("loss/reconstruction", e.Epoch, e.Reconstruction);
        log.Scalar("loss/prediction", e.Epoch, e.Prediction);
        log.Scalar("loss/flip", e.Epoch, e.Flip);
        log.Scalar("loss/r1", e.Epoch, e.R1);
        log.Scalar("loss/r2", e.Epoch, e.R2);
        log.Scalar("reconstruction_accuracy", e.Epoch, e.ReconstructionAccuracy);
    }

    public LoadedConcepts Load(string folder)
    {
        var file = MethodFile.Require(folder, this);
        var spec = file.Settings.Deserialize<HiConceptSettings>(SnakeCaseJson.Options)
                   ?? throw new InvalidDataException($"{folder}: method.json has no hi_concept settings");
        var path = Path.Combine(folder, WeightsFile);
        var tensors = SafetensorsFile.Read(path);
        try
        {
            if (!tensors.TryGetValue("concept", out var c)) throw new InvalidDataException($"{path}: missing tensor 'concept'");
            var model = new HiConceptModel((int)c.size(0), spec.NConcepts, spec.HiddenDim, seed: 0);
            using (no_grad())
                foreach (var (name, p) in model.NamedTensors)
                {
                    if (!tensors.TryGetValue(name, out var t) || !t.shape.SequenceEqual(p.shape))
                        throw new InvalidDataException($"{path}: tensor '{name}' missing or not of shape [{string.Join(",", p.shape)}]");
                    p.copy_(t);
                }
            model.eval();
            return new FirstConcepts(Key, new HiConceptBottleneck(model), model.NConcepts, model);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}

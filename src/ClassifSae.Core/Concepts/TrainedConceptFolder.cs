using System.Text.Json;
using ClassifSae.Formats;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Concepts;

/// <summary>
/// What the concept-projection methods (ConceptSHAP, HI-Concept) write after training: their parameters under the original
/// state-dict names in one fp32 safetensors file, and the per-epoch curve as training_curve.json, each written atomically.
/// </summary>
public static class TrainedConceptFolder
{
    public const string CurveFile = "training_curve.json";

    public static void Write<TEpoch>(string folder, string weightsFile, IReadOnlyDictionary<string, Parameter> parameters, IReadOnlyList<TEpoch> history)
    {
        Directory.CreateDirectory(folder);
        using (no_grad())
            SafetensorsFile.Write(Path.Combine(folder, weightsFile), parameters.ToDictionary(kv => kv.Key, kv => (Tensor)kv.Value.detach()));
        AtomicFile.WriteAllText(Path.Combine(folder, CurveFile), JsonSerializer.Serialize(history, SnakeCaseJson.Options));
    }
}

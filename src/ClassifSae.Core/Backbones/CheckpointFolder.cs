using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Backbones;

/// <summary>
/// Writes a Hugging Face model folder (model.safetensors + config.json) as every family saves it: into a sibling temp
/// folder first, then swapped in, so a crash never leaves a half-written model where a finished one is expected.
/// </summary>
public static class CheckpointFolder
{
    public const string ConfigFile = "config.json";

    public static void Write(string folder, Dictionary<string, Tensor> state, string configJson)
    {
        var tmp = folder.TrimEnd('/') + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        SafetensorsFile.Write(Path.Combine(tmp, SafetensorsWeights.WeightsFile), state, new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(tmp, ConfigFile), configJson);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(tmp, folder);
    }
}

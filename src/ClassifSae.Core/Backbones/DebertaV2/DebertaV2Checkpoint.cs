using ClassifSae.Formats;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>Hugging Face folder I/O for DebertaV2ForSequenceClassification: <c>config.json</c> + <c>model.safetensors</c> (or a sharded index).</summary>
public static class DebertaV2Checkpoint
{
    public const string ConfigFile = "config.json";

    /// <summary>The position_ids buffer some exports carry (transformers skips it too).</summary>
    private static bool Ignored(string name) => name == "deberta.embeddings.position_ids";

    public static void Save(DebertaV2ForSequenceClassification model, string folder)
    {
        var tmp = folder.TrimEnd('/') + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        SafetensorsFile.Write(Path.Combine(tmp, SafetensorsWeights.WeightsFile), model.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(tmp, ConfigFile), model.Config.ToJson());
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(tmp, folder);
    }

    public static DebertaV2ForSequenceClassification Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var cfg = DebertaV2Config.Load(Path.Combine(folder, ConfigFile));
        var model = new DebertaV2ForSequenceClassification(cfg);
        try
        {
            SafetensorsWeights.CopyInto(model.state_dict(), SafetensorsWeights.Files(folder), name => Ignored(name) ? null : name,
                folder, $"a DeBERTa-v2 classifier with {cfg.NumLayers} layers and {cfg.NumLabels} labels");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}

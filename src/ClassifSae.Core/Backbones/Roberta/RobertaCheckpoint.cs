using ClassifSae.Formats;

namespace ClassifSae.Backbones.Roberta;

/// <summary>Hugging Face folder I/O for RobertaForSequenceClassification: <c>config.json</c> + <c>model.safetensors</c> (or a sharded index).</summary>
public static class RobertaCheckpoint
{
    public const string ConfigFile = "config.json";

    /// <summary>Buffers some exports carry and the pooler a classifier never uses (transformers skips them too).</summary>
    private static bool Ignored(string name) =>
        name is "roberta.embeddings.position_ids" or "roberta.embeddings.token_type_ids" || name.StartsWith("roberta.pooler.", StringComparison.Ordinal);

    public static void Save(RobertaForSequenceClassification model, string folder)
    {
        var tmp = folder.TrimEnd('/') + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        SafetensorsFile.Write(Path.Combine(tmp, SafetensorsWeights.WeightsFile), model.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(tmp, ConfigFile), model.Config.ToJson());
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(tmp, folder);
    }

    public static RobertaForSequenceClassification Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var cfg = RobertaConfig.Load(Path.Combine(folder, ConfigFile));
        var model = new RobertaForSequenceClassification(cfg);
        try
        {
            SafetensorsWeights.CopyInto(model.state_dict(), SafetensorsWeights.Files(folder), name => Ignored(name) ? null : name,
                folder, $"a RoBERTa classifier with {cfg.NumLayers} layers and {cfg.NumLabels} labels");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}

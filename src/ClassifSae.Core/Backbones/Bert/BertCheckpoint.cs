using ClassifSae.Formats;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// Reads a Hugging Face BERT folder: <c>config.json</c> plus <c>model.safetensors</c> (or its sharded index),
/// with the tensor names of <c>BertModel</c>, optionally prefixed <c>bert.</c> as task-head checkpoints save them.
/// </summary>
public static class BertCheckpoint
{
    private const string Prefix = "bert.";

    /// <summary>Stored tensors the trunk does not use: the pooler head and the position_ids buffer older exports kept.</summary>
    private static bool Ignored(string name) =>
        name.StartsWith("pooler.", StringComparison.Ordinal) || name == "embeddings.position_ids";

    public static BertModel Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var cfg = BertConfig.Load(Path.Combine(folder, BertConfig.FileName));
        var files = WeightFiles(folder);
        var model = new BertModel(cfg);
        try
        {
            var expected = model.state_dict();
            SafetensorsWeights.CopyInto(expected, files, Rename, folder, $"a BERT model with {cfg.NumLayers} layers");
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string? Rename(string stored)
    {
        var name = stored.StartsWith(Prefix, StringComparison.Ordinal) ? stored[Prefix.Length..] : stored;
        return Ignored(name) ? null : name;
    }

    private static IReadOnlyList<string> WeightFiles(string folder)
    {
        var hasSafetensors = File.Exists(Path.Combine(folder, SafetensorsWeights.WeightsFile))
                             || File.Exists(Path.Combine(folder, SafetensorsWeights.IndexFile));
        if (!hasSafetensors)
        {
            var why = File.Exists(Path.Combine(folder, "pytorch_model.bin")) ? "pytorch_model.bin is not read" : "not found";
            throw new FileNotFoundException($"{folder}: {SafetensorsWeights.WeightsFile} is required ({why})",
                Path.Combine(folder, SafetensorsWeights.WeightsFile));
        }
        return SafetensorsWeights.Files(folder);
    }
}

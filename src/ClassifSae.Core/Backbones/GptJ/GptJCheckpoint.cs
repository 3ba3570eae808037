using ClassifSae.Formats;

namespace ClassifSae.Backbones.GptJ;

/// <summary>Hugging Face folder I/O for GPT-J: <c>config.json</c> plus <c>model.safetensors</c> (or shards); any float dtype becomes fp32.</summary>
public static class GptJCheckpoint
{
    public const string ConfigFile = "config.json";

    /// <summary>Causal-mask buffers older checkpoints carry, skipped by name.</summary>
    private static readonly string[] IgnoredSuffixes = [".attn.bias", ".attn.masked_bias"];

    public static void Save(GptJForCausalLM model, string folder)
    {
        var tmp = folder.TrimEnd('/') + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        var state = model.state_dict();
        if (model.Config.TieWordEmbeddings) state.Remove("lm_head.weight");
        SafetensorsFile.Write(Path.Combine(tmp, SafetensorsWeights.WeightsFile), state, new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(tmp, ConfigFile), model.Config.ToJson());
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(tmp, folder);
    }

    public static GptJForCausalLM Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var cfg = GptJConfig.Load(Path.Combine(folder, ConfigFile));
        var model = new GptJForCausalLM(cfg);
        try
        {
            var expected = model.state_dict();
            if (cfg.TieWordEmbeddings) expected.Remove("lm_head.weight");
            SafetensorsWeights.CopyInto(expected, SafetensorsWeights.Files(folder),
                name => IgnoredSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) ? null : name,
                folder, $"a GPT-J model with {cfg.NumLayers} layers");
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }
}

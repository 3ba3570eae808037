using ClassifSae.Formats;

namespace ClassifSae.Backbones.Llama;

/// <summary>
/// Hugging Face folder I/O for the Llama-shaped families: <c>config.json</c> plus <c>model.safetensors</c> (or shards).
/// Tensors of any float dtype are converted to fp32; a tied model's file has no <c>lm_head.weight</c>.
/// </summary>
public static class LlamaCheckpoint
{
    public const string ConfigFile = "config.json";

    /// <summary>Buffers older checkpoints carry that are recomputed here, skipped by name.</summary>
    private static readonly string[] IgnoredSuffixes = [".rotary_emb.inv_freq"];

    public static void Save(LlamaForCausalLM model, string folder)
    {
        var state = model.state_dict();
        if (model.Config.TieWordEmbeddings) state.Remove("lm_head.weight");
        CheckpointFolder.Write(folder, state, model.Config.ToJson());
    }

    /// <summary>Loads the model in <paramref name="folder"/>, whose config.json must declare <paramref name="modelType"/>.</summary>
    public static LlamaForCausalLM Load(string folder, string modelType)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var path = Path.Combine(folder, ConfigFile);
        var cfg = LlamaConfig.Load(path);
        if (cfg.ModelType != modelType) throw new InvalidDataException($"{path}: model_type '{cfg.ModelType}', expected '{modelType}'");
        var model = new LlamaForCausalLM(cfg);
        try
        {
            var expected = model.state_dict();
            if (cfg.TieWordEmbeddings) expected.Remove("lm_head.weight");
            SafetensorsWeights.CopyInto(expected, SafetensorsWeights.Files(folder),
                name => IgnoredSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) ? null : name,
                folder, $"a {cfg.ModelType} model with {cfg.NumLayers} layers");
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

using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Llama;

/// <summary>
/// Hugging Face folder I/O for the Llama-shaped families: <c>config.json</c> plus <c>model.safetensors</c> (or shards).
/// Tensors of any float dtype load into the model's dtype (fp32 unless asked otherwise); a tied model's file has no <c>lm_head.weight</c>.
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
    /// <param name="dtype">the dtype the model is built and computes in: float32 (default), or bfloat16/float16, where the weights
    /// load tensor by tensor straight into half-precision parameters (a bf16 checkpoint bit for bit, no float32 copy)</param>
    public static LlamaForCausalLM Load(string folder, string modelType, ScalarType dtype = ScalarType.Float32)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var path = Path.Combine(folder, ConfigFile);
        var cfg = LlamaConfig.Load(path);
        if (cfg.ModelType != modelType) throw new InvalidDataException($"{path}: model_type '{cfg.ModelType}', expected '{modelType}'");
        var model = ComputeDtype.Build(() => new LlamaForCausalLM(cfg), dtype);
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

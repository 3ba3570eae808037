using static TorchSharp.torch;
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
        var state = model.state_dict();
        if (model.Config.TieWordEmbeddings) state.Remove("lm_head.weight");
        CheckpointFolder.Write(folder, state, model.Config.ToJson());
    }

    /// <param name="dtype">float32, or bfloat16/float16: the weights load tensor by tensor into half-precision parameters</param>
    public static GptJForCausalLM Load(string folder, ScalarType dtype = ScalarType.Float32)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var cfg = GptJConfig.Load(Path.Combine(folder, ConfigFile));
        var model = ComputeDtype.Build(() => new GptJForCausalLM(cfg), dtype);
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

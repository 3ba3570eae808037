using static TorchSharp.torch;
using ClassifSae.Formats;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>
/// Hugging Face folder I/O for GPT-NeoX: <c>config.json</c> plus <c>model.safetensors</c> (or a sharded
/// <c>model.safetensors.index.json</c>). Tensors of any float dtype are converted to fp32.
/// </summary>
public static class GptNeoXCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = SafetensorsWeights.WeightsFile;
    public const string IndexFile = SafetensorsWeights.IndexFile;

    /// <summary>Buffers older checkpoints carry that are recomputed here, skipped by name.</summary>
    private static readonly string[] IgnoredSuffixes = [".attention.bias", ".attention.masked_bias", ".rotary_emb.inv_freq"];

    public static void Save(GptNeoXForCausalLM model, string folder)
    {
        var state = model.state_dict();
        if (model.Config.TieWordEmbeddings) state.Remove("embed_out.weight");
        CheckpointFolder.Write(folder, state, model.Config.ToJson());
    }

    /// <param name="dtype">float32, or bfloat16/float16: the weights load tensor by tensor into half-precision parameters</param>
    public static GptNeoXForCausalLM Load(string folder, ScalarType dtype = ScalarType.Float32)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var cfg = GptNeoXConfig.Load(Path.Combine(folder, ConfigFile));
        var model = ComputeDtype.Build(() => new GptNeoXForCausalLM(cfg), dtype);
        try
        {
            LoadWeights(model, folder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    private static void LoadWeights(GptNeoXForCausalLM model, string folder)
    {
        var expected = model.state_dict();
        if (model.Config.TieWordEmbeddings) expected.Remove("embed_out.weight");
        SafetensorsWeights.CopyInto(expected, SafetensorsWeights.Files(folder),
            name => IgnoredSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) ? null : name,
            folder, $"a GPT-NeoX model with {model.Config.NumLayers} layers");
    }
}

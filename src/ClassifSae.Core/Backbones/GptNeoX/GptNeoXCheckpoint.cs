using System.Text.Json.Nodes;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>
/// Hugging Face folder I/O for GPT-NeoX: <c>config.json</c> plus <c>model.safetensors</c> (or a sharded
/// <c>model.safetensors.index.json</c>). Tensors of any float dtype are converted to fp32.
/// </summary>
public static class GptNeoXCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>Buffers older checkpoints carry that are recomputed here, skipped by name.</summary>
    private static readonly string[] IgnoredSuffixes = [".attention.bias", ".attention.masked_bias", ".rotary_emb.inv_freq"];

    public static void Save(GptNeoXForCausalLM model, string folder)
    {
        var tmp = folder.TrimEnd('/') + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        var state = model.state_dict();
        if (model.Config.TieWordEmbeddings) state.Remove("embed_out.weight");
        SafetensorsFile.Write(Path.Combine(tmp, WeightsFile), state, new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(tmp, ConfigFile), model.Config.ToJson());
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(tmp, folder);
    }

    public static GptNeoXForCausalLM Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var cfg = GptNeoXConfig.Load(Path.Combine(folder, ConfigFile));
        var model = new GptNeoXForCausalLM(cfg);
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
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var _ = no_grad();
        foreach (var file in WeightFiles(folder))
        {
            var tensors = SafetensorsFile.Read(file);
            try
            {
                foreach (var (name, value) in tensors)
                {
                    if (IgnoredSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal))) continue;
                    if (!expected.TryGetValue(name, out var target))
                        throw new InvalidDataException($"{file}: unexpected tensor '{name}' for a GPT-NeoX model with {model.Config.NumLayers} layers");
                    if (!target.shape.SequenceEqual(value.shape))
                        throw new InvalidDataException($"{file}: tensor '{name}' has shape [{string.Join(",", value.shape)}], expected [{string.Join(",", target.shape)}]");
                    if (!value.is_floating_point())
                        throw new InvalidDataException($"{file}: tensor '{name}' has dtype {value.dtype}, expected a float type");
                    target.copy_(value.to(ScalarType.Float32));
                    seen.Add(name);
                }
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        }
        var missing = expected.Keys.Where(k => !seen.Contains(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{folder}: missing tensor '{missing[0]}'{(missing.Count > 1 ? $" (and {missing.Count - 1} more)" : "")}");
    }

    private static IEnumerable<string> WeightFiles(string folder)
    {
        var single = Path.Combine(folder, WeightsFile);
        if (File.Exists(single)) return [single];
        var index = Path.Combine(folder, IndexFile);
        if (!File.Exists(index))
            throw new FileNotFoundException($"{folder}: neither {WeightsFile} nor {IndexFile} found", single);
        var map = JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject
                  ?? throw new InvalidDataException($"{index}: no 'weight_map' object");
        return map.Select(kv => kv.Value?.GetValue<string>() ?? throw new InvalidDataException($"{index}: weight_map entry '{kv.Key}' is not a file name"))
            .Distinct(StringComparer.Ordinal).Select(f => Path.Combine(folder, f)).ToList();
    }
}

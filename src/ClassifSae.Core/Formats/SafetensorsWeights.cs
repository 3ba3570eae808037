using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace ClassifSae.Formats;

/// <summary>
/// Loads a Hugging Face safetensors checkpoint (<c>model.safetensors</c> or the shards of
/// <c>model.safetensors.index.json</c>) into a module's state dict, shared by every architecture we read.
/// Float tensors of any dtype (F16, BF16, F64) become fp32; missing, unexpected, duplicated, mis-shaped and
/// non-finite (NaN, infinite) tensors fail with the file and the tensor name.
/// </summary>
public static class SafetensorsWeights
{
    public const string WeightsFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>The weight files of <paramref name="folder"/>: the single file, or the shards its index lists.</summary>
    public static IReadOnlyList<string> Files(string folder)
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

    /// <summary>
    /// Copies every tensor of <paramref name="files"/> into the tensor of <paramref name="expected"/> that
    /// <paramref name="rename"/> maps its name to (null = a tensor the model does not use, skipped).
    /// </summary>
    /// <param name="modelDescription">Completes "unexpected tensor 'x' for …", e.g. "a BERT model with 6 layers".</param>
    public static void CopyInto(IReadOnlyDictionary<string, Tensor> expected, IEnumerable<string> files, Func<string, string?> rename,
        string folder, string modelDescription)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var _ = no_grad();
        foreach (var file in files)
        {
            var tensors = SafetensorsFile.Read(file);
            try
            {
                // The scope frees the fp32 copies of half-precision tensors as soon as the file is done.
                using var scope = NewDisposeScope();
                foreach (var (name, value) in tensors)
                {
                    var targetName = rename(name);
                    if (targetName is null) continue;
                    if (!expected.TryGetValue(targetName, out var target))
                        throw new InvalidDataException($"{file}: unexpected tensor '{name}' for {modelDescription}");
                    if (!seen.Add(targetName))
                        throw new InvalidDataException($"{file}: tensor '{name}' sets '{targetName}', which another tensor already set");
                    if (!target.shape.SequenceEqual(value.shape))
                        throw new InvalidDataException($"{file}: tensor '{name}' has shape [{string.Join(",", value.shape)}], expected [{string.Join(",", target.shape)}]");
                    if (!value.is_floating_point())
                        throw new InvalidDataException($"{file}: tensor '{name}' has dtype {value.dtype}, expected a float type");
                    FiniteTensors.Require(value, file, name, "the checkpoint is corrupt or its training diverged");
                    target.copy_(value.to(ScalarType.Float32));
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
}

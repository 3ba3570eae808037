using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace ClassifSae.Formats;

/// <summary>
/// Loads a Hugging Face safetensors checkpoint (<c>model.safetensors</c> or the shards of
/// <c>model.safetensors.index.json</c>) into a module's state dict, shared by every architecture we read.
/// Float tensors of any dtype (F16, BF16, F64) take the dtype of the model's tensor they load into; missing, unexpected, duplicated, mis-shaped and
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
    /// <param name="modelDescription">Completes "unexpected tensor 'x' for …", e.g. "a BERT model with 6 layers".</param>
    /// <returns>The largest tensor read (bytes): the per-tensor buffer loading needs besides the model itself.</returns>
    public static long CopyInto(IReadOnlyDictionary<string, Tensor> expected, IEnumerable<string> files, Func<string, string?> rename,
        string folder, string modelDescription)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var _ = no_grad();
        long largest = 0;
        foreach (var file in files)
        {
            // One tensor at a time, copied into the model's own tensor in the model's dtype (copy_ converts element by element), so
            // a bfloat16 model loads a bfloat16 checkpoint bit for bit and no float32 copy of it ever exists.
            largest = Math.Max(largest, SafetensorsFile.ReadEach(file, (name, value) =>
            {
                var targetName = rename(name);
                if (targetName is null) return;
                if (!expected.TryGetValue(targetName, out var target))
                    throw new InvalidDataException($"{file}: unexpected tensor '{name}' for {modelDescription}");
                if (!seen.Add(targetName))
                    throw new InvalidDataException($"{file}: tensor '{name}' sets '{targetName}', which another tensor already set");
                if (!target.shape.SequenceEqual(value.shape))
                    throw new InvalidDataException($"{file}: tensor '{name}' has shape [{string.Join(",", value.shape)}], expected [{string.Join(",", target.shape)}]");
                if (!value.is_floating_point())
                    throw new InvalidDataException($"{file}: tensor '{name}' has dtype {value.dtype}, expected a float type");
                FiniteTensors.Require(value, file, name, "the checkpoint is corrupt or its training diverged");
                target.copy_(value);
            }));
        }
        var missing = expected.Keys.Where(k => !seen.Contains(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{folder}: missing tensor '{missing[0]}'{(missing.Count > 1 ? $" (and {missing.Count - 1} more)" : "")}");
        return largest;
    }
}

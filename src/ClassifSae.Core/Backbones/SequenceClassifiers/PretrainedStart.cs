using System.Buffers.Binary;
using System.Text.Json;
using ClassifSae.Formats;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.SequenceClassifiers;

/// <summary>
/// Fills a sequence classifier from a pretrained folder as <c>AutoModelForSequenceClassification.from_pretrained(num_labels=C)</c>
/// does (spec 04 §3.2): the trunk's tensors (under the family prefix, or bare as a base model saves them) are copied, other tasks'
/// heads (lm_head, lm_predictions, …) are skipped, and head tensors the files lack start at N(0, std) with zero biases from the seed.
/// </summary>
public static class PretrainedStart
{
    /// <param name="trunkPrefix">"roberta.", "deberta."</param>
    /// <param name="headPrefixes">the parameters a base checkpoint may lack ("classifier.", "pooler.")</param>
    public static void Load(nn.Module model, string folder, string trunkPrefix, IReadOnlyList<string> headPrefixes, double std, long seed, string description)
    {
        var files = SafetensorsWeights.Files(folder);
        var stored = files.SelectMany(TensorNames).ToHashSet(StringComparer.Ordinal);
        var expected = model.state_dict();
        using (no_grad())
        {
            var generator = new Generator((ulong)seed);
            foreach (var (name, t) in expected.Where(kv => headPrefixes.Any(p => kv.Key.StartsWith(p, StringComparison.Ordinal)) && !stored.Contains(kv.Key)).ToList())
            {
                if (name.EndsWith(".bias", StringComparison.Ordinal)) t.zero_();
                else t.normal_(0, std, generator);
                expected.Remove(name);
            }
        }
        string? Rename(string name) =>
            expected.ContainsKey(name) ? name : expected.ContainsKey(trunkPrefix + name) ? trunkPrefix + name : null;
        SafetensorsWeights.CopyInto(expected, files, Rename, folder, description);
    }

    /// <summary>The tensor names of a safetensors file, from its header only.</summary>
    private static IEnumerable<string> TensorNames(string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> size = stackalloc byte[8];
        stream.ReadExactly(size);
        var length = BinaryPrimitives.ReadUInt64LittleEndian(size);
        if (length > (ulong)stream.Length - 8) throw new InvalidDataException($"{file}: not a safetensors file (header length {length})");
        var header = new byte[length];
        stream.ReadExactly(header);
        using var doc = JsonDocument.Parse(header);
        return doc.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToList();
    }
}

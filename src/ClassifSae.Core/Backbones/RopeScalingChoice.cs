using System.Globalization;
using System.Text.Json.Nodes;

namespace ClassifSae.Backbones;

/// <summary>
/// The rotary-position scaling a model folder's config.json asks for, as recorded with every run (spec 04 §3.5, §3.7.2): Llama
/// 3.1's <c>llama3</c> scaling is computed as transformers does it, with the config's original_max_position_embeddings (8192),
/// not TransformerLens 2.9's variant with its n_ctx = 2048, so cached states differ from the original's by that choice.
/// </summary>
public static class RopeScalingChoice
{
    public const string None = "none";

    /// <summary>"llama3 (transformers: …)", another scaling type by name, or "none" (no rope_scaling, or not a rotary model).</summary>
    public static string Describe(string modelFolder)
    {
        var path = Path.Combine(modelFolder, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                     ?? throw new InvalidDataException($"{path}: not a JSON object");
        if (config["rope_scaling"] is not JsonObject scaling) return None;
        var kind = (string?)scaling["rope_type"] ?? (string?)scaling["type"] ?? "default";
        if (kind == "default") return None;
        if (kind != "llama3") return kind;
        string Value(string key) => scaling[key] is JsonValue v ? v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture) : "?";
        return $"llama3 (transformers: factor {Value("factor")}, low_freq_factor {Value("low_freq_factor")}, high_freq_factor {Value("high_freq_factor")}, " +
               $"original_max_position_embeddings {Value("original_max_position_embeddings")}; not TransformerLens 2.9's n_ctx variant)";
    }
}

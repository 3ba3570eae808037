using System.Globalization;
using System.Text.Json.Nodes;

namespace ClassifSae.Backbones;

/// <summary>The class names a fine-tuned Hugging Face classifier's config.json gives in <c>id2label</c> ({"0": "World", …}), in index order.</summary>
public static class ClassifierLabels
{
    /// <summary>The names, or null when the config has no id2label; gaps or empty names are errors naming the file.</summary>
    public static IReadOnlyList<string>? Read(string folder)
    {
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model config not found", path);
        JsonObject? map;
        try { map = JsonNode.Parse(File.ReadAllText(path))?["id2label"] as JsonObject; }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})"); }
        if (map is null) return null;
        var names = new List<string>();
        for (var i = 0; i < map.Count; i++)
        {
            var node = map[i.ToString(CultureInfo.InvariantCulture)];
            var name = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (string.IsNullOrWhiteSpace(name))
                throw new InvalidDataException($"{path}: id2label must map every index 0..{map.Count - 1} to a class name (index {i} has none)");
            names.Add(name);
        }
        return names;
    }
}

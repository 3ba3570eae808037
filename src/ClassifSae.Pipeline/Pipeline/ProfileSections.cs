using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClassifSae.Pipeline;

/// <summary>
/// A profile's top-level sections by their JSON names, read from its canonical JSON (so no section needs a hand-written
/// accessor). <c>models</c> and <c>datasets</c> are narrowed to the cell's own entry.
/// </summary>
public static class ProfileSections
{
    /// <summary>Every top-level key a profile serialises to.</summary>
    public static IReadOnlyList<string> Names(Profile profile) => Serialize(profile).Select(kv => kv.Key).ToList();

    public static JsonObject Select(Profile profile, PipelineKey key, IEnumerable<string> sections)
    {
        var all = Serialize(profile);
        var selected = new JsonObject();
        foreach (var name in sections)
        {
            if (!all.TryGetPropertyValue(name, out var value))
                throw new ArgumentException($"the profile has no section '{name}' (it has: {string.Join(", ", all.Select(kv => kv.Key))})");
            selected[name] = name switch
            {
                "models" => value?[key.Model]?.DeepClone(),
                "datasets" => value?[key.Dataset]?.DeepClone(),
                _ => value?.DeepClone(),
            };
        }
        return selected;
    }

    private static JsonObject Serialize(Profile profile) => JsonSerializer.SerializeToNode(profile.Canonical(), Profile.JsonOptions)!.AsObject();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ClassifSae.Pipeline;

/// <summary>
/// Settings that differ for some grid cells, e.g. the paper's batch size 4 on IMDB, λ_mse = 0.2 for Pythia-1b on IMDB
/// or ConceptSHAP's θ per (model, data set). Every per-cell section can be changed (all but name, seed, threads, models,
/// datasets and slurm); each is merged key by key over the profile's section for matching cells, and <c>methods</c> replaces
/// the list (upstream-2026 runs a fifth method, HI-Concept, that the paper's version does not have).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)] // unmapped keys land in MethodSections, checked by the loader
public sealed record ProfileOverride
{
    /// <summary>Models the override applies to (null = all).</summary>
    public string[]? Models { get; init; }
    public string[]? Datasets { get; init; }
    /// <summary>The method version the override applies to (null = both), e.g. upstream-2026's λ's beside the paper's.</summary>
    public string? MethodVersion { get; init; }
    /// <summary>The concept methods matching cells train and evaluate, replacing the profile's list (null = unchanged).</summary>
    // Omitted when unset, so the run ids of profiles that do not use it stay as they were.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? Methods { get; init; }
    public JsonObject? FineTune { get; init; }
    public JsonObject? Cache { get; init; }
    /// <summary>Changes to concept methods' sections, by section name (see <see cref="Profile.MethodSections"/>).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement> MethodSections { get; init; } = [];
    public JsonObject? Evaluate { get; init; }

    public bool Matches(string model, string dataset, string methodVersion) =>
        (Models is null || Models.Contains(model)) && (Datasets is null || Datasets.Contains(dataset))
        && (MethodVersion is null || MethodVersion == methodVersion);

    public Profile ApplyTo(Profile p) => p with
    {
        Methods = Methods ?? p.Methods,
        FineTune = Merge(p.FineTune, FineTune),
        Cache = Merge(p.Cache, Cache),
        MethodSections = MergeSections(p),
        Evaluate = Merge(p.Evaluate, Evaluate),
    };

    private Dictionary<string, JsonElement> MergeSections(Profile p)
    {
        var merged = new Dictionary<string, JsonElement>(p.MethodSections);
        foreach (var (name, changes) in MethodSections)
        {
            var section = Concepts.ConceptMethods.Sections.FirstOrDefault(s => s.Name == name)
                          ?? throw new JsonException($"The JSON property '{name}' could not be mapped to any .NET member contained in type 'ProfileOverride'.");
            var node = JsonSerializer.SerializeToNode(p.Section(name, section.SettingsType), section.SettingsType, Profile.JsonOptions)!.AsObject();
            foreach (var (k, v) in JsonObject.Create(changes) ?? throw new JsonException($"overrides: section '{name}' must be an object"))
                node[k] = v?.DeepClone();
            // Round trip through the record: an unknown key fails here, not later in a stage.
            merged[name] = JsonSerializer.SerializeToElement(node.Deserialize(section.SettingsType, Profile.JsonOptions), section.SettingsType, Profile.JsonOptions);
        }
        return merged;
    }

    private static T Merge<T>(T section, JsonObject? changes) where T : notnull
    {
        if (changes is null) return section;
        var node = JsonSerializer.SerializeToNode(section, Profile.JsonOptions)!.AsObject();
        foreach (var (k, v) in changes) node[k] = v?.DeepClone();
        return node.Deserialize<T>(Profile.JsonOptions)!;
    }
}

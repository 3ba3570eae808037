using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClassifSae.Pipeline;

/// <summary>
/// Settings that differ for some grid cells, e.g. the paper's batch size 4 on IMDB, λ_mse = 0.2 for Pythia-1b on IMDB
/// or ConceptSHAP's θ per (model, data set). Every per-cell section can be changed (all but name, seed, threads, models,
/// datasets, methods and slurm); each is merged key by key over the profile's section for matching cells.
/// </summary>
public sealed record ProfileOverride
{
    /// <summary>Models the override applies to (null = all).</summary>
    public string[]? Models { get; init; }
    public string[]? Datasets { get; init; }
    public JsonObject? FineTune { get; init; }
    public JsonObject? Cache { get; init; }
    public JsonObject? ClassifSae { get; init; }
    public JsonObject? Sae { get; init; }
    public JsonObject? Ica { get; init; }
    public JsonObject? ConceptShap { get; init; }
    public JsonObject? Evaluate { get; init; }

    public bool Matches(string model, string dataset) =>
        (Models is null || Models.Contains(model)) && (Datasets is null || Datasets.Contains(dataset));

    public Profile ApplyTo(Profile p) => p with
    {
        FineTune = Merge(p.FineTune, FineTune),
        Cache = Merge(p.Cache, Cache),
        ClassifSae = Merge(p.ClassifSae, ClassifSae),
        Sae = Merge(p.Sae, Sae),
        Ica = Merge(p.Ica, Ica),
        ConceptShap = Merge(p.ConceptShap, ConceptShap),
        Evaluate = Merge(p.Evaluate, Evaluate),
    };

    private static T Merge<T>(T section, JsonObject? changes) where T : notnull
    {
        if (changes is null) return section;
        var node = JsonSerializer.SerializeToNode(section, Profile.JsonOptions)!.AsObject();
        foreach (var (k, v) in changes) node[k] = v?.DeepClone();
        return node.Deserialize<T>(Profile.JsonOptions)!;
    }
}

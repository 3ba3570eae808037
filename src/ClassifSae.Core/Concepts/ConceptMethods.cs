using ClassifSae.Concepts.ConceptShap;
using ClassifSae.Concepts.Ica;
using ClassifSae.Concepts.Sae;

namespace ClassifSae.Concepts;

/// <summary>
/// The registry of concept methods, by key, in the order the paper reports them. A method's settings record is bound
/// from the profile by the pipeline (<c>ProfileMethodSettings</c>), as SAELens pairs an architecture with its config
/// class, so the methods themselves never see the profile.
/// </summary>
public static class ConceptMethods
{
    private static readonly IConceptMethod[] Registered =
    [
        new ClassifSaeMethod(),
        new PlainSaeMethod(),
        new IcaMethod(),
        new ConceptShapMethod(),
    ];

    public static IReadOnlyList<string> Keys { get; } = Registered.Select(m => m.Key).ToArray();

    public static IConceptMethod Get(string key) =>
        Registered.FirstOrDefault(m => m.Key == key)
        ?? throw new UserError($"unknown concept method '{key}' (known: {string.Join(", ", Keys)})");

    /// <summary>Trains <paramref name="method"/> into <paramref name="folder"/> and records its method.json.</summary>
    public static IReadOnlyList<MetricRecord> Train(IConceptMethod method, ConceptTrainingInput input, string folder, string trainingHash)
    {
        var metrics = method.Train(input, folder);
        new MethodFile(method.Key, method.FormatVersion, trainingHash, MethodFile.ToJson(input.Settings)).Save(folder);
        return metrics;
    }

    /// <summary>Parses "classifsae,sae" (commas and/or spaces); duplicates removed, registry order kept.</summary>
    public static IReadOnlyList<string> Parse(string list)
    {
        var keys = list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Validate(keys);
    }

    /// <summary>Checks every key and returns them in registry order without duplicates.</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<string> keys)
    {
        var set = keys.ToHashSet();
        foreach (var k in set) Get(k);
        if (set.Count == 0) throw new UserError($"no concept method selected (known: {string.Join(", ", Keys)})");
        return Keys.Where(set.Contains).ToArray();
    }
}

using ClassifSae.Concepts.ConceptShap;
using ClassifSae.Concepts.Ica;
using ClassifSae.Concepts.Sae;

namespace ClassifSae.Concepts;

/// <summary>
/// The registry of concept methods, by key, in the order the paper reports them. Each line pairs a method with its
/// profile section and settings record (as SAELens pairs an architecture with its config class); the pipeline reads the
/// sections from the profile by these lines, so a new method is its folder plus one line here.
/// </summary>
public static class ConceptMethods
{
    private static readonly MethodRegistration[] Registered =
    [
        MethodRegistration.Of<ClassifSaeSettings>(new ClassifSaeMethod(), ClassifSaeSettings.Section),
        new(new PlainSaeMethod(), new MethodSection(SaeBaselineSettings.Section, typeof(SaeBaselineSettings)), read => PlainSaeSettings.Bind(
            (ClassifSaeSettings)read(ClassifSaeSettings.Section, typeof(ClassifSaeSettings)), (SaeBaselineSettings)read(SaeBaselineSettings.Section, typeof(SaeBaselineSettings)))),
        MethodRegistration.Of<IcaSettings>(new IcaMethod(), IcaSettings.Section),
        MethodRegistration.Of<ConceptShapSettings>(new ConceptShapMethod(), ConceptShapSettings.Section),
    ];

    public static IReadOnlyList<string> Keys { get; } = Registered.Select(r => r.Method.Key).ToArray();

    /// <summary>Every method's profile section, in registry order.</summary>
    public static IReadOnlyList<MethodSection> Sections { get; } = Registered.Select(r => r.Section).ToArray();

    public static IConceptMethod Get(string key) => Find(key).Method;

    /// <summary>Method <paramref name="key"/>'s settings record, from the sections <paramref name="read"/> returns (name, record type → record).</summary>
    public static IMethodSettings Bind(string key, Func<string, Type, object> read) => Find(key).Bind(read);

    private static MethodRegistration Find(string key) =>
        Registered.FirstOrDefault(r => r.Method.Key == key)
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

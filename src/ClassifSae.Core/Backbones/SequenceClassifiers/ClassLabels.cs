namespace ClassifSae.Backbones.SequenceClassifiers;

/// <summary>A sequence classifier's classes as config.json names them (<c>id2label</c>: "0" → name, …).</summary>
public static class ClassLabels
{
    /// <summary>transformers' default when a config has no id2label: two classes LABEL_0, LABEL_1.</summary>
    public static Dictionary<string, string> Default(int classes) =>
        Enumerable.Range(0, classes).ToDictionary(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture), i => $"LABEL_{i}");

    /// <summary>The class names in id order; the keys must be exactly "0" … "C−1".</summary>
    public static string[] Names(IReadOnlyDictionary<string, string>? id2label, string source)
    {
        if (id2label is null) return [.. Default(2).Values];
        var names = new string[id2label.Count];
        foreach (var (key, name) in id2label)
        {
            if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id >= names.Length)
                throw new InvalidDataException($"{source}: id2label key '{key}' is not a class index 0..{names.Length - 1}");
            names[id] = name;
        }
        if (names.Length < 2) throw new InvalidDataException($"{source}: id2label must name at least 2 classes, got {names.Length}");
        return names;
    }

    public static Dictionary<string, int> Label2Id(IReadOnlyList<string> names) =>
        names.Select((n, i) => (n, i)).DistinctBy(p => p.n).ToDictionary(p => p.n, p => p.i);
}

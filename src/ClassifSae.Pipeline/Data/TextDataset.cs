namespace ClassifSae.Data;

/// <summary>A text-classification dataset: class names (index = label) and train/test splits.</summary>
public sealed record TextDataset(
    string Name,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<TextExample> Train,
    IReadOnlyList<TextExample> Test)
{
    public int ClassCount => ClassNames.Count;

    /// <summary>Throws <see cref="InvalidDataException"/> with a one-line message at the first problem found.</summary>
    public TextDataset Validate()
    {
        if (ClassNames.Count < 2)
            throw new InvalidDataException($"Dataset '{Name}': needs at least 2 class names, got {ClassNames.Count}.");
        for (var i = 0; i < ClassNames.Count; i++)
            if (string.IsNullOrWhiteSpace(ClassNames[i]))
                throw new InvalidDataException($"Dataset '{Name}': class name {i} is empty.");
        ValidateSplit("train", Train);
        ValidateSplit("test", Test);
        return this;
    }

    private void ValidateSplit(string split, IReadOnlyList<TextExample> examples)
    {
        if (examples.Count == 0)
            throw new InvalidDataException($"Dataset '{Name}': {split} split is empty.");
        for (var i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            if (e.Label < 0 || e.Label >= ClassNames.Count)
                throw new InvalidDataException(
                    $"Dataset '{Name}': {split} example {i} has label {e.Label}, outside the class list 0..{ClassNames.Count - 1}.");
            if (string.IsNullOrWhiteSpace(e.Text))
                throw new InvalidDataException($"Dataset '{Name}': {split} example {i} has empty text.");
        }
        // A class that never occurs in a split cannot be learned or scored (e.g. a label-sorted file cut short).
        var counts = examples.GroupBy(e => e.Label).ToDictionary(g => g.Key, g => g.Count());
        for (var c = 0; c < ClassNames.Count; c++)
            if (!counts.ContainsKey(c))
                throw new InvalidDataException(
                    $"Dataset '{Name}': {split} split has no example of class {c} ({ClassNames[c]}); counts per class: {string.Join(", ", Enumerable.Range(0, ClassNames.Count).Select(k => counts.GetValueOrDefault(k)))}.");
    }
}

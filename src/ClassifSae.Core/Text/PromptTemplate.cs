using System.Text;

namespace ClassifSae.Text;

/// <summary>
/// The paper's zero-shot classification prompt (spec §1.2):
/// PROMPT(text) = text + "\n\n" + "OPTIONS:" + ("\n" + i + "(" + name + ")")* + " \n";
/// FULL(text, y) = PROMPT(text) + y's digit. The true label is appended in every use
/// (training, evaluation, caching); causality makes that harmless when reading position −2.
/// </summary>
public sealed class PromptTemplate
{
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>true = original commit d5286e9 ("… \n2"); false = HEAD bc50f40 ("…\n2").</summary>
    public bool SpaceBeforeFinalNewline { get; }

    /// <summary>Everything appended after the text except the label digit: "\n\nOPTIONS:…) \n".</summary>
    public string PromptSuffix { get; }

    public PromptTemplate(IReadOnlyList<string> classNames, bool spaceBeforeFinalNewline = true)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        // Labels are single digits, so the label is one token and the decision position is fixed.
        if (classNames.Count < 2 || classNames.Count > 10)
            throw new ArgumentException($"A prompt template needs 2..10 classes, got {classNames.Count}.", nameof(classNames));
        if (classNames.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Class names must not be empty.", nameof(classNames));
        ClassNames = classNames.ToArray();
        SpaceBeforeFinalNewline = spaceBeforeFinalNewline;

        var sb = new StringBuilder("\n\nOPTIONS:");
        for (var i = 0; i < ClassNames.Count; i++)
            sb.Append('\n').Append(LabelString(i)).Append('(').Append(ClassNames[i]).Append(')');
        sb.Append(spaceBeforeFinalNewline ? " \n" : "\n");
        PromptSuffix = sb.ToString();
    }

    public static PromptTemplate AgNews(bool spaceBeforeFinalNewline = true) =>
        new(["World", "Sports", "Business", "SciTech"], spaceBeforeFinalNewline);

    public static PromptTemplate Imdb(bool spaceBeforeFinalNewline = true) =>
        new(["negative", "positive"], spaceBeforeFinalNewline);

    public int ClassCount => ClassNames.Count;

    /// <summary>Character length of the suffix from "\n\n" through the label digit (55 AG News, 37 IMDB at d5286e9).</summary>
    public int FullSuffixLength => PromptSuffix.Length + 1;

    /// <summary>The label string for a class: its decimal digit, "0".."K−1".</summary>
    public static string LabelString(int classIndex) =>
        classIndex is >= 0 and <= 9
            ? classIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, "Class index must be 0..9.");

    public IReadOnlyList<string> LabelStrings => Enumerable.Range(0, ClassCount).Select(LabelString).ToArray();

    /// <summary>PROMPT(text): the text followed by the options, ending just before the label digit.</summary>
    public string Prompt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text + PromptSuffix;
    }

    /// <summary>FULL(text, y): the prompt with the label digit appended.</summary>
    public string Full(string text, int label)
    {
        if (label < 0 || label >= ClassCount)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"Label must be in 0..{ClassCount - 1}.");
        return Prompt(text) + LabelString(label);
    }

    /// <summary>
    /// Recovers the text from a decoded FULL prompt by removing the suffix (its character length).
    /// Throws if the string does not end with this template's suffix, so a mismatched template is caught.
    /// </summary>
    public string StripFull(string fullPrompt)
    {
        ArgumentNullException.ThrowIfNull(fullPrompt);
        var body = fullPrompt.Length >= FullSuffixLength ? fullPrompt[..^1] : "";
        if (!body.EndsWith(PromptSuffix, StringComparison.Ordinal) || !char.IsAsciiDigit(fullPrompt[^1]))
            throw new ArgumentException("The string does not end with this template's options suffix and a label digit.", nameof(fullPrompt));
        return fullPrompt[..^FullSuffixLength];
    }
}

using System.Text.RegularExpressions;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// The clean tokens of a sentence for the concept keywords (spec 04 §6.5): words <c>[a-zA-Z]+</c> of the lower-cased text,
/// at least 3 letters, English function words removed. Upstream additionally merges frequent word pairs with gensim's
/// <c>Phrases</c>, removes NLTK's stop-word list (its version is not pinned) and lemmatises with WordNet; none of the three
/// has a .NET counterpart here, so keywords stay single unlemmatised words (build/profiles/README.md).
/// </summary>
public static partial class KeywordTokens
{
    /// <summary>Our own list of English function words and auxiliaries of three letters or more.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "about", "above", "after", "again", "against", "all", "also", "and", "any", "are", "aren", "because", "been", "before",
        "being", "below", "between", "both", "but", "can", "cannot", "could", "couldn", "did", "didn", "does", "doesn", "doing",
        "don", "down", "during", "each", "few", "for", "from", "further", "had", "hadn", "has", "hasn", "have", "haven", "having",
        "her", "here", "hers", "herself", "him", "himself", "his", "how", "into", "isn", "its", "itself", "just", "let", "more",
        "most", "mustn", "myself", "needn", "nor", "not", "now", "off", "once", "only", "other", "our", "ours", "ourselves", "out",
        "over", "own", "same", "shan", "she", "should", "shouldn", "some", "such", "than", "that", "the", "their", "theirs",
        "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "too", "under", "until", "very",
        "was", "wasn", "were", "weren", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "won",
        "would", "wouldn", "you", "your", "yours", "yourself", "yourselves", "ll", "re", "ve",
    };

    public static IReadOnlyList<string> Of(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 3 && !StopWords.Contains(w)).ToList();

    [GeneratedRegex(@"\b[a-zA-Z]+\b")]
    private static partial Regex Word();
}

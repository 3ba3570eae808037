using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClassifSae.Formats;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// Upstream's concept cards (spec 04 §6.5) for one method: per selected concept, its activation rate (|activating set| / N), its
/// ConceptSim, its 20 TF-IDF keywords (its top-100 activating sentences against the whole test corpus) and its top-10 activating
/// sentences; written as <c>concepts_definition/Concept_{j}_Category_{class}.txt</c> and, for the report's word clouds, all cards
/// in <c>concept_keywords.json</c>. Sentences are ordered by activation (upstream follows Python set order).
/// </summary>
public static class ConceptCards
{
    public const string CardsFolder = "concepts_definition";
    public const string KeywordsFile = "concept_keywords.json";
    public const int TopSentences = 10;
    public const int KeywordSentences = 100;
    public const int KeywordCount = 20;

    public sealed record Sentence(string Text, double Activation);

    public sealed record Card(int Concept, string Category, double ActivationRate, double ConceptSim,
        IReadOnlyList<TfIdfKeywords.Keyword> Keywords, IReadOnlyList<Sentence> Top)
    {
        /// <summary>Upstream's file name without extension; a class name's path characters become '_'.</summary>
        [JsonIgnore] public string FileStem => $"Concept_{Concept}_Category_{string.Concat(Category.Select(ch => Path.GetInvalidFileNameChars().Contains(ch) || ch == '/' || ch == '\\' ? '_' : ch))}";
    }

    /// <param name="columns">per selected concept (same order as <paramref name="sets"/>), its activations over the N sentences</param>
    /// <param name="categories">per selected concept, the class name of its segment</param>
    /// <param name="conceptSim">per selected concept, its ConceptSim (null = no pair, 0 on the card)</param>
    /// <param name="texts">the N sentences</param>
    public static IReadOnlyList<Card> Build(IReadOnlyList<int> selected, IReadOnlyList<double[]> columns, IReadOnlyList<int[]> sets,
        IReadOnlyList<string> categories, IReadOnlyList<double?> conceptSim, IReadOnlyList<string> texts)
    {
        var tokens = texts.Select(KeywordTokens.Of).ToList();
        var tops = selected.Select((_, s) => TopActive(columns[s], sets[s], KeywordSentences)).ToList();
        var keywords = TfIdfKeywords.ForConcepts(
            tops.Select(t => (IReadOnlyList<string>)t.SelectMany(i => tokens[i]).ToList()).ToList(), tokens.SelectMany(t => t).ToList(), KeywordCount);
        return selected.Select((j, s) => new Card(j, categories[s], texts.Count == 0 ? 0 : (double)sets[s].Length / texts.Count, conceptSim[s] ?? 0,
            keywords[s], tops[s].Take(TopSentences).Select(i => new Sentence(texts[i], columns[s][i])).ToList())).ToList();
    }

    /// <summary>The <paramref name="k"/> largest activations that are also in the activating set, largest first (ties: lower index).</summary>
    public static IReadOnlyList<int> TopActive(double[] column, IReadOnlyCollection<int> active, int k)
    {
        var set = active as ISet<int> ?? active.ToHashSet();
        return Enumerable.Range(0, column.Length).OrderByDescending(i => column[i]).ThenBy(i => i).Take(k).Where(set.Contains).ToList();
    }

    /// <summary>The card's text as upstream writes it (lines joined with "\n").</summary>
    public static string Text(Card c)
    {
        var lines = new List<string>
        {
            $"Activation rate of the concept : {c.ActivationRate.ToString("F4", CultureInfo.InvariantCulture)}", "",
            $"ConceptSim value for the concept : {c.ConceptSim.ToString("F4", CultureInfo.InvariantCulture)}", "",
            "Keywords associated to the concept:", "",
        };
        lines.AddRange(c.Keywords.Select(k => $"  {k.Term}: {PythonFloat(k.Score)}"));
        lines.AddRange(["", "Top activating sentences:", "", ""]);
        foreach (var s in c.Top)
        {
            lines.Add($"{s.Text}\t{s.Activation.ToString("F4", CultureInfo.InvariantCulture)}");
            lines.Add("");
        }
        return string.Join("\n", lines);
    }

    /// <summary>Writes every card and the keywords file into <paramref name="interpretabilityFolder"/>, the card folder emptied first (as upstream).</summary>
    public static void Write(string interpretabilityFolder, IReadOnlyList<Card> cards)
    {
        var folder = Path.Combine(interpretabilityFolder, CardsFolder);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        foreach (var c in cards) AtomicFile.WriteAllText(Path.Combine(folder, c.FileStem + ".txt"), Text(c));
        AtomicFile.WriteAllText(Path.Combine(interpretabilityFolder, KeywordsFile), JsonSerializer.Serialize(cards, SnakeCaseJson.Options));
    }

    public static IReadOnlyList<Card> Read(string keywordsFile) =>
        JsonSerializer.Deserialize<List<Card>>(File.ReadAllText(keywordsFile), SnakeCaseJson.Options)
        ?? throw new InvalidDataException($"{keywordsFile}: empty");

    // Python's str(float) of a 4-decimal score: "0.5", "1.0", "0.6437".
    private static string PythonFloat(double v)
    {
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }
}

using System.Text;

namespace ClassifSae.Data;

/// <summary>
/// Deterministic synthetic text-classification corpus with planted sub-topics (smoke profile, no downloads).
/// Every sentence keeps its sub-topic id, the ground truth a concept should recover. Same seed → identical
/// output; counts are balanced per (class, sub-topic); no sentence occurs twice, so train and test are disjoint.
/// </summary>
public static class PlantedCorpus
{
    public const string DatasetName = "planted";

    public static TextDataset Generate(PlantedCorpusOptions? options = null)
    {
        var o = (options ?? new PlantedCorpusOptions()).Validate();
        var rng = new SplitMix64(o.Seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var train = GenerateSplit(o, o.TrainSize, rng, seen);
        var test = GenerateSplit(o, o.TestSize, rng, seen);
        var names = PlantedVocabulary.Classes.Take(o.Classes).Select(c => c.Name).ToArray();
        return new TextDataset(DatasetName, names, train, test).Validate();
    }

    /// <summary>Readable sub-topic name, e.g. "Sports/tennis".</summary>
    public static string SubTopicName(int label, int subTopic)
    {
        var c = PlantedVocabulary.Classes[label];
        return $"{c.Name}/{c.SubTopics[subTopic].Name}";
    }

    /// <summary>Words only this sub-topic uses (its nouns, verbs and adjectives).</summary>
    public static IReadOnlySet<string> OwnWords(int label, int subTopic) =>
        PlantedVocabulary.Classes[label].SubTopics[subTopic].OwnWords.ToHashSet(StringComparer.Ordinal);

    private static List<TextExample> GenerateSplit(PlantedCorpusOptions o, int size, SplitMix64 rng, HashSet<string> seen)
    {
        var items = new List<(string Text, int Label, int SubTopic)>(size);
        for (var cell = 0; cell < o.Cells; cell++)
        {
            // Cells are ordered sub-topic-major, so the remainder adds at most one sentence per class.
            int label = cell % o.Classes, sub = cell / o.Classes;
            var count = size / o.Cells + (cell < size % o.Cells ? 1 : 0);
            for (var i = 0; i < count; i++)
                items.Add((UniqueSentence(label, sub, rng, seen), label, sub));
        }
        rng.Shuffle(items);
        return items.Select((x, i) => new TextExample(i, x.Text, x.Label, x.SubTopic)).ToList();
    }

    private static string UniqueSentence(int label, int sub, SplitMix64 rng, HashSet<string> seen)
    {
        const int maxAttempts = 10_000;
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            var s = Sentence(label, sub, rng);
            if (seen.Add(s)) return s;
        }
        throw new InvalidOperationException($"Could not generate another distinct sentence for {SubTopicName(label, sub)}; reduce the corpus size.");
    }

    private static string Sentence(int label, int sub, SplitMix64 rng)
    {
        var cls = PlantedVocabulary.Classes[label];
        var st = cls.SubTopics[sub];
        var body = new StringBuilder();
        var template = rng.Pick(st.Templates);
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{' && i + 2 < template.Length && template[i + 2] == '}')
            {
                body.Append(template[i + 1] switch
                {
                    'N' => rng.Pick(st.Nouns),
                    'V' => rng.Pick(st.Verbs),
                    'A' => rng.Pick(st.Adjectives),
                    'C' => rng.Pick(cls.SharedWords),
                    'X' => rng.Pick(st.CrossWords),
                    var k => throw new InvalidOperationException($"Unknown template slot {{{k}}} in \"{template}\"."),
                });
                i += 2;
            }
            else body.Append(template[i]);
        }

        var opener = rng.Pick(PlantedVocabulary.Openers);
        var ending = rng.Pick(PlantedVocabulary.Endings);
        var text = opener.Length > 0 ? $"{opener} {body}" : Capitalise(body.ToString());
        return ending.Length > 0 ? $"{text}, {ending}." : $"{text}.";
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

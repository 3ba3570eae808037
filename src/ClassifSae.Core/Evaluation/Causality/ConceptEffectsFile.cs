using System.Text.Json;
using System.Text.Json.Serialization;
using ClassifSae.Formats;

namespace ClassifSae.Evaluation.Causality;

/// <summary>
/// Each selected concept's conditional causal effect, <c>causality/concept_effects.json</c>: the concept alone ablated on
/// the test sentences where it is active (the per-concept rows the conditional means of the averaged file are taken over).
/// </summary>
public static class ConceptEffectsFile
{
    public const string FileName = "concept_effects.json";

    public sealed record Entry(
        [property: JsonPropertyName("concept")] int Concept,
        [property: JsonPropertyName("active_sentences")] int ActiveSentences,
        [property: JsonPropertyName("label_flip")] double LabelFlip,
        [property: JsonPropertyName("tvd")] double Tvd,
        [property: JsonPropertyName("acc_change")] double AccChange);

    public static IReadOnlyList<Entry> From(CausalityAnalysis.Result result) =>
        result.Conditional.Select(c => new Entry(c.Feature, c.Active, c.Effect.FlipRate, c.Effect.Tvd, c.Effect.AccuracyChange)).ToList();

    public static void Write(string causalityFolder, IReadOnlyList<Entry> entries) =>
        AtomicFile.WriteAllText(Path.Combine(causalityFolder, FileName), JsonSerializer.Serialize(entries, new JsonSerializerOptions { WriteIndented = true }));

    /// <returns>Null when the folder has no concept_effects.json (written by older builds).</returns>
    public static IReadOnlyList<Entry>? Read(string causalityFolder)
    {
        var path = Path.Combine(causalityFolder, FileName);
        if (!File.Exists(path)) return null;
        return JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(path))
               ?? throw new InvalidDataException($"{path}: expected [{{concept, active_sentences, label_flip, tvd, acc_change}}]");
    }
}

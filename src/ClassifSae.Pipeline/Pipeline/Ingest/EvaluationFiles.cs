using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClassifSae.Results;

namespace ClassifSae.Pipeline.Ingest;

/// <summary>
/// Reads what the Evaluate stage wrote for one method — <c>&lt;method&gt;/&lt;n&gt;/selected_features.json</c>,
/// <c>segmented_features.json</c>, <c>test/interpretability/top_sentences.json</c> and, for SAE methods,
/// <c>test/activation_rates.json</c> and <c>test/pca_figures/concept_pca.json</c> — into concept and top-sentence rows
/// for the results store. Only that finished folder is read (never Train's or Cache's).
/// </summary>
public static class EvaluationFiles
{
    public const string Selected = "selected_features.json";
    public const string Segmented = "segmented_features.json";
    public static readonly string TopSentences = Path.Combine("test", "interpretability", "top_sentences.json");

    /// <summary>One method's evaluation folder: <c>evaluate/&lt;method&gt;/&lt;n_concepts&gt;</c>.</summary>
    public sealed record MethodFolder(string Method, int NConcepts, string Path);

    /// <summary>Every <c>&lt;method&gt;/&lt;n&gt;</c> folder under an Evaluate stage folder that has a selected_features.json.</summary>
    public static IReadOnlyList<MethodFolder> Find(string evaluateFolder)
    {
        if (!Directory.Exists(evaluateFolder)) return [];
        return (from methodDir in Directory.GetDirectories(evaluateFolder)
                from nDir in Directory.GetDirectories(methodDir)
                let n = int.TryParse(Path.GetFileName(nDir), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1
                where n > 0 && File.Exists(Path.Combine(nDir, Selected))
                orderby Path.GetFileName(methodDir), n
                select new MethodFolder(Path.GetFileName(methodDir), n, nDir)).ToList();
    }

    public static (List<ConceptRecord> Concepts, List<TopSentenceRecord> Sentences) Read(string runId, MethodFolder folder)
    {
        var results = Path.Combine(folder.Path, "test");
        var rates = Evaluation.ActivationRatesFile.Read(results);
        var activationRatesPct = rates?.Pct;
        var activationRateSource = rates?.Source;
        var pca = Evaluation.Figures.ConceptPcaFile.Read(Path.Combine(results, "pca_figures"));
        var selected = JsonSerializer.Deserialize<int[]>(File.ReadAllText(Path.Combine(folder.Path, Selected))) ?? [];
        var segmentsPath = Path.Combine(folder.Path, Segmented);
        var segments = File.Exists(segmentsPath) ? JsonSerializer.Deserialize<int[][]>(File.ReadAllText(segmentsPath)) ?? [] : [];
        var segmentOf = new Dictionary<int, (int Class, int Rank)>();
        for (var c = 0; c < segments.Length; c++)
            for (var r = 0; r < segments[c].Length; r++)
                segmentOf[segments[c][r]] = (c, r);

        var classNames = new Dictionary<int, string>();
        var purity = new Dictionary<int, double>();
        var sentences = new List<TopSentenceRecord>();
        var topPath = Path.Combine(folder.Path, TopSentences);
        if (File.Exists(topPath) && JsonNode.Parse(File.ReadAllText(topPath)) is JsonArray entries)
            foreach (var entry in entries.OfType<JsonObject>())
            {
                var concept = entry["concept"]!.GetValue<int>();
                if (entry["segment_class"] is { } sc && entry["segment_class_name"] is { } name)
                    classNames[sc.GetValue<int>()] = name.GetValue<string>();
                if (entry["subtopic_purity"] is { } p) purity[concept] = p.GetValue<double>();
                var rank = 0;
                foreach (var s in (entry["sentences"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var sub = s["sub_topic"]?.GetValue<int>();
                    sentences.Add(new TopSentenceRecord(runId, folder.Method, concept, ++rank,
                        s["sentence_index"]!.GetValue<int>(), s["activation"]!.GetValue<double>(), s["text"]!.GetValue<string>(),
                        s["label"]!.GetValue<int>(), sub is >= 0 ? sub : null));
                }
            }

        var isSelected = selected.ToHashSet();
        var indices = Enumerable.Range(0, folder.NConcepts).Concat(selected).Concat(segmentOf.Keys).Distinct().Order();
        var concepts = indices.Select(j =>
        {
            var seg = segmentOf.TryGetValue(j, out var s) ? s : ((int Class, int Rank)?)null;
            double? rate = activationRatesPct is not null && activationRatesPct.TryGetValue(j, out var r) ? r : null;
            (double X, double Y)? xy = pca is not null && pca.TryGetValue(j, out var v) ? v : null;
            return new ConceptRecord(runId, folder.Method, j, folder.NConcepts, isSelected.Contains(j),
                seg?.Class, seg is { } g ? classNames.GetValueOrDefault(g.Class) : null, seg?.Rank,
                rate, rate is null ? null : activationRateSource, purity.TryGetValue(j, out var pu) ? pu : null, xy?.X, xy?.Y);
        }).ToList();
        return (concepts, sentences);
    }
}

using ClassifSae.Evaluation.Interpretability;
using ClassifSae.Formats;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// The report's copy of upstream's qualitative outputs (spec 04 §6.5): for every newest run whose Evaluate wrote concept cards
/// (the upstream-2026 version), each card's text and its word cloud PNG under <c>concept_cards/</c> beside concepts.html,
/// which links them. The cards are found through the store's artefacts (paths relative to the runs folder).
/// </summary>
public static class ConceptCardImages
{
    public const string Folder = "concept_cards";

    /// <summary>Where a concept's card and word cloud are, relative to the report folder.</summary>
    public sealed record Links(string Card, string WordCloud, IReadOnlyList<string> Keywords);

    /// <returns>the links by (run id, method, concept)</returns>
    public static IReadOnlyDictionary<(string RunId, string Method, int Concept), Links> Write(ResultsStore store, string runsDir, string reportFolder)
    {
        var root = Path.Combine(reportFolder, Folder);
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var files = store.Query($"""
            SELECT a.run_id, a.path FROM artefacts a JOIN latest_runs r USING (run_id)
            WHERE a.stage = 'evaluate' AND a.path LIKE '%/interpretability/{ConceptCards.KeywordsFile}'
            ORDER BY a.run_id, a.path
            """).Rows;
        var links = new Dictionary<(string, string, int), Links>();
        for (var f = 0; f < files.Count; f++)
        {
            var (runId, relative) = ((string)files[f][0]!, (string)files[f][1]!);
            // .../<method>/<n_concepts>/test/interpretability/concept_keywords.json
            var parts = relative.Split('/');
            if (parts.Length < 5) continue;
            var method = parts[^5];
            var source = Path.Combine(runsDir, relative);
            if (!File.Exists(source)) continue; // a moved or deleted run folder: the browser shows the store's facts only
            var folder = Path.Combine(root, $"run{f}", method);
            Directory.CreateDirectory(folder);
            foreach (var card in ConceptCards.Read(source))
            {
                var png = WordCloudImage.Render(card.Keywords.Select(k => (k.Term, k.Score)).ToList()).Png;
                AtomicFile.Write(Path.Combine(folder, card.FileStem + ".png"), s => s.Write(png));
                AtomicFile.WriteAllText(Path.Combine(folder, card.FileStem + ".txt"), ConceptCards.Text(card));
                var rel = $"{Folder}/run{f}/{method}/{card.FileStem}";
                links[(runId, method, card.Concept)] = new Links(rel + ".txt", rel + ".png", card.Keywords.Select(k => k.Term).ToList());
            }
        }
        return links;
    }
}

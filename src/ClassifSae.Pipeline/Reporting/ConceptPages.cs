using System.Globalization;
using System.Text;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// The report's concept index: per method of the newest runs, how many concepts were selected, per segment class, each
/// linking to its card in the concept browser (<see cref="ConceptBrowser"/>), where the top sentences are.
/// </summary>
internal static class ConceptPages
{
    public static string Render(ResultsStore store)
    {
        var concepts = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, c.method, c.concept, c.segment_class, c.segment_class_name, c.n_concepts
            FROM concepts c JOIN latest_runs r USING (run_id)
            WHERE c.selected
            ORDER BY r.profile, r.model, r.dataset, r.seed, c.method, c.segment_class NULLS LAST, c.segment_rank, c.concept
            """).Rows;
        var sb = new StringBuilder("<h2 id=\"concepts\">Concepts</h2>\n");
        if (concepts.Count == 0)
        {
            sb.Append("<p>No concepts recorded yet (the Evaluate stage writes them).</p>\n");
            return sb.ToString();
        }
        sb.Append(CultureInfo.InvariantCulture,
            $"<p>{concepts.Count} selected concepts. Their top sentences, activation rates and causal effects are in the ");
        sb.Append($"<a href=\"{ConceptBrowser.FileName}\">concept browser</a> (filter by method and class, search a word).</p>\n");
        sb.Append("<table><thead><tr><th>run</th><th>method</th><th>selected</th><th>segment class</th><th>concepts (in segment order)</th></tr></thead><tbody>\n");
        foreach (var g in concepts.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3]), (string)r[4]!)))
        {
            var (profile, model, dataset, seed, method) = g.Key;
            var rows = g.ToList();
            foreach (var cls in rows.GroupBy(r => r[6] is null ? "no segment" : (string?)r[7] ?? $"class {r[6]}"))
            {
                var links = cls.Select(r => $"<a href=\"{ConceptBrowser.FileName}#{Html.Anchor("concept", profile, model, dataset, "seed", seed, method, r[5])}\">#{r[5]}</a>");
                sb.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{Html.Esc($"{profile} / {model} / {dataset} / seed {seed}")}</td><td>{Html.Esc(MethodLabels.Of(method))}</td>" +
                    $"<td>{rows.Count} of {rows[0][8]}</td><td>{Html.Esc(cls.Key)}</td><td>{string.Join(" ", links)}</td></tr>\n");
            }
        }
        sb.Append("</tbody></table>\n");
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>An index of the concepts of the newest runs and one section ("page", reachable by its anchor) per concept with its top activating sentences.</summary>
internal static class ConceptPages
{
    public static string Render(ResultsStore store)
    {
        var concepts = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, c.method, c.concept, c.selected, c.segment_class, c.segment_class_name,
                   c.segment_rank, c.activation_rate_pct, c.subtopic_purity, c.run_id
            FROM concepts c JOIN latest_runs r USING (run_id)
            ORDER BY r.profile, r.model, r.dataset, r.seed, c.method, c.segment_class NULLS LAST, c.segment_rank, c.concept
            """).Rows;
        var sentences = store.Query("""
            SELECT t.run_id, t.method, t.concept, t.rank, t.sentence_index, t.activation, t.label, t.sub_topic, t.text
            FROM top_sentences t JOIN latest_runs r USING (run_id)
            ORDER BY t.run_id, t.method, t.concept, t.rank
            """).Rows.ToLookup(r => ((string)r[0]!, (string)r[1]!, Convert.ToInt32(r[2])));

        var sb = new StringBuilder("<h2 id=\"concepts\">Concepts</h2>\n");
        if (concepts.Count == 0)
        {
            sb.Append("<p>No concepts recorded yet (the Evaluate stage writes them).</p>\n");
            return sb.ToString();
        }
        sb.Append("<p>Each selected concept of the newest runs, with its segment class, activation rate and top activating test sentences. ");
        sb.Append("Concepts the dead-feature filter removed are listed as not selected.</p>\n");
        foreach (var group in concepts.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3]), (string)r[4]!)))
        {
            var (profile, model, dataset, seed, method) = group.Key;
            sb.Append(CultureInfo.InvariantCulture, $"<h3>{Html.Esc(method)} — {Html.Esc(model)} / {Html.Esc(dataset)} (profile {Html.Esc(profile)}, seed {seed})</h3>\n");
            sb.Append("<table><thead><tr><th>concept</th><th>selected</th><th>segment class</th><th>activation rate (%)</th><th>sub-topic purity</th></tr></thead><tbody>\n");
            foreach (var r in group)
            {
                var id = Id(r);
                var selected = (bool)r[6]!;
                var name = selected ? $"<a href=\"#{id}\">#{r[5]}</a>" : $"#{r[5]}";
                sb.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{name}</td><td>{(selected ? "yes" : "no")}</td><td>{Html.Esc(ClassText(r))}</td><td>{Html.Num(Dbl(r[10]))}</td><td>{Html.Num(Dbl(r[11]))}</td></tr>\n");
            }
            sb.Append("</tbody></table>\n");
            foreach (var r in group.Where(r => (bool)r[6]!))
            {
                sb.Append(CultureInfo.InvariantCulture, $"<section class=\"concept\" id=\"{Id(r)}\">\n<h4>{Html.Esc(method)} concept #{r[5]} — {Html.Esc(ClassText(r))}</h4>\n");
                sb.Append(CultureInfo.InvariantCulture,
                    $"<p>{Html.Esc(model)} / {Html.Esc(dataset)}, seed {seed}. Activation rate {Html.Num(Dbl(r[10]))} %, sub-topic purity of the top sentences {Html.Num(Dbl(r[11]))}.</p>\n");
                var top = sentences[((string)r[12]!, method, Convert.ToInt32(r[5]))].ToList();
                if (top.Count == 0)
                    sb.Append("<p>No top sentences recorded.</p>\n");
                else
                {
                    sb.Append("<table><thead><tr><th>rank</th><th>activation</th><th>label</th><th>sub-topic</th><th>sentence</th></tr></thead><tbody>\n");
                    foreach (var s in top)
                        sb.Append(CultureInfo.InvariantCulture,
                            $"<tr><td>{s[3]}</td><td>{Html.Num(Dbl(s[5]))}</td><td>{s[6]}</td><td>{(s[7] is null ? ReportText.Missing : s[7])}</td><td>{Html.Esc((string)s[8]!)}</td></tr>\n");
                    sb.Append("</tbody></table>\n");
                }
                sb.Append("<p><a href=\"#concepts\">back to the concept index</a></p>\n</section>\n");
            }
        }
        return sb.ToString();
    }

    private static string Id(IReadOnlyList<object?> r) => Html.Anchor("concept", r[0], r[1], r[2], "seed", r[3], r[4], r[5]);

    private static string ClassText(IReadOnlyList<object?> r) =>
        r[7] is null ? ReportText.Missing : $"{r[8] ?? "class " + r[7]} (rank {r[9]} in segment)";

    private static double? Dbl(object? v) => v is null ? null : Convert.ToDouble(v);
}

using System.Text;
using ClassifSae.Reporting.Svg;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>SentenceSim(k), k = 1..4, per method for each (profile, data set, model) we measured, with the published curve dashed beside it.</summary>
internal static class SentenceSimFigures
{
    public static string Render(ResultsStore store)
    {
        var published = PaperTables.Published(store);
        var matches = PublishedCells.Read(store);
        // The published curve only where our model and data set are the published ones (PublishedCells).
        var rows = store.Query("""
            SELECT t.profile, t.dataset, t.model, t.method, t.k, t.ours_mean, NULL AS paper_mean,
                   coalesce(m.label, t.method) AS label, coalesce(m.position, 99) AS position
            FROM paper_table t LEFT JOIN paper_methods m USING (method)
            WHERE t.metric = 'sentencesim' AND t.profile IS NOT NULL
            ORDER BY t.profile, t.dataset, t.model, position, k
            """).Rows.Select(r =>
            {
                var copy = r.ToArray();
                if (matches.GetValueOrDefault(((string)r[0]!, (string)r[2]!, (string)r[1]!)) is { } cell
                    && published.TryGetValue((cell.Model, cell.Dataset, (string)r[3]!, $"sentencesim@k{Convert.ToInt32(r[4])}"), out var paper))
                    copy[6] = paper.Mean;
                return copy;
            }).ToList();
        var sb = new StringBuilder("<h2 id=\"sentencesim\">SentenceSim(k)</h2>\n");
        if (!rows.Any(r => r[5] is not null))
        {
            sb.Append("<p>No SentenceSim(k) measured yet (metric <code>sentencesim</code>, k = 1 … 4).</p>\n");
            return sb.ToString();
        }
        foreach (var panel in rows.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!)).Where(g => g.Any(r => r[5] is not null)))
        {
            var series = new List<SvgSeries>();
            var i = 0;
            foreach (var method in panel.GroupBy(r => (string)r[7]!))
            {
                var color = SvgPlot.Palette[i++ % SvgPlot.Palette.Count];
                var ours = method.Where(r => r[5] is not null).Select(r => ((double)Convert.ToInt32(r[4]), Convert.ToDouble(r[5]))).ToList();
                var paper = method.Where(r => r[6] is not null).Select(r => ((double)Convert.ToInt32(r[4]), Convert.ToDouble(r[6]))).ToList();
                if (ours.Count > 0) series.Add(new SvgSeries(method.Key, ours, SvgSeriesKind.LineAndMarkers, color));
                if (paper.Count > 0) series.Add(new SvgSeries($"{method.Key} (paper)", paper, SvgSeriesKind.LineAndMarkers, color, Dashed: true));
            }
            var (profile, dataset, model) = panel.Key;
            var plot = new SvgPlot { Title = $"SentenceSim(k) — {model} / {dataset}", XLabel = "k common top-p concepts", YLabel = "SentenceSim(k)", Series = series };
            sb.Append(Html.Figure(plot.Render(), $"Profile {profile}; solid: ours (mean over seeds), dashed: published."));
        }
        return sb.ToString();
    }
}

using System.Text;
using ClassifSae.Reporting.Svg;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>The selected concepts' decoder directions in the 2-D PCA of the test states (spec 02 §4.5), coloured by segment class.</summary>
internal static class ConceptPcaFigures
{
    public static string Render(ResultsStore store)
    {
        var rows = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, c.method, c.concept, c.segment_class,
                   coalesce(c.segment_class_name, 'class ' || c.segment_class) AS class_name, c.pca_x, c.pca_y
            FROM concepts c JOIN latest_runs r USING (run_id)
            WHERE c.selected AND c.pca_x IS NOT NULL AND c.pca_y IS NOT NULL
            ORDER BY r.profile, r.model, r.dataset, r.seed, c.method, c.segment_class, c.concept
            """).Rows;
        var sb = new StringBuilder("<h2 id=\"pca\">Concept directions (2-D PCA)</h2>\n");
        if (rows.Count == 0)
        {
            sb.Append("<p>No PCA coordinates recorded yet (SAE methods only).</p>\n");
            return sb.ToString();
        }
        foreach (var panel in rows.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3]), (string)r[4]!)))
        {
            var series = panel.GroupBy(r => (Class: r[6] is null ? int.MaxValue : Convert.ToInt32(r[6]), Name: (string?)r[7] ?? "unsegmented"))
                .OrderBy(g => g.Key.Class)
                .Select(g => new SvgSeries(g.Key.Name, g.Select(r => (Convert.ToDouble(r[8]), Convert.ToDouble(r[9]))).ToList(), SvgSeriesKind.Markers,
                    g.Key.Class == int.MaxValue ? "#999999" : SvgPlot.Palette[g.Key.Class % SvgPlot.Palette.Count],
                    PointLabels: g.Select(r => "#" + Convert.ToString(r[5], System.Globalization.CultureInfo.InvariantCulture)).ToList()))
                .ToList();
            var (profile, model, dataset, seed, method) = panel.Key;
            var plot = new SvgPlot
            {
                Title = $"Concept directions — {method}, {model} / {dataset}", XLabel = "PCA component 1", YLabel = "PCA component 2",
                Series = series, EqualAspect = true,
            };
            sb.Append(Html.Figure(plot.Render(),
                $"Profile {profile}, seed {seed}: decoder rows of the selected concepts, projected with the scaler and PCA(2) fitted on the row-normalised test states; colour = segment class, label = concept index."));
        }
        return sb.ToString();
    }
}

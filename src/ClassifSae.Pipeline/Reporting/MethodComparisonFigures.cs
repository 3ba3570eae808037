using System.Text;
using ClassifSae.Reporting.Svg;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// The concept methods side by side on the paper's [0, 1] metrics (mean over the newest run of each seed): recovery
/// accuracy, Δf_cond, TVD_cond, the 100 % segment-ablation flip rate and ConceptSim; one chart per (profile, model, data set).
/// </summary>
internal static class MethodComparisonFigures
{
    private static readonly (string Metric, int? AblationPct, string Label)[] Metrics =
    [
        ("recovery_accuracy", null, "RAcc"),
        ("cond_label_flip_rate", null, "Δf_cond"),
        ("cond_tvd", null, "TVD_cond"),
        ("global_label_flip", 100, "flip, 100 % ablated"),
        ("conceptsim_weighted", null, "ConceptSim"),
    ];

    public static string Render(ResultsStore store)
    {
        var rows = store.Query("""
            SELECT profile, model, dataset, method, metric, ablation_pct, avg(value) AS mean, count(*) AS n
            FROM latest_metrics
            WHERE split = 'test' AND method IS NOT NULL AND class IS NULL AND k IS NULL
              AND run_id IN (SELECT run_id FROM latest_runs)
              AND metric IN ('recovery_accuracy', 'cond_label_flip_rate', 'cond_tvd', 'global_label_flip', 'conceptsim_weighted')
            GROUP BY profile, model, dataset, method, metric, ablation_pct
            ORDER BY profile, model, dataset
            """).Rows;
        var sb = new StringBuilder("<h2 id=\"comparison\">Methods compared</h2>\n");
        if (rows.Count == 0)
        {
            sb.Append("<p>No method evaluated yet.</p>\n");
            return sb.ToString();
        }
        foreach (var g in rows.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!)))
        {
            var (profile, model, dataset) = g.Key;
            var methods = g.Select(r => (string)r[3]!).Distinct().OrderBy(MethodLabels.Order).ThenBy(m => m, StringComparer.Ordinal).ToList();
            var bars = methods.Select((m, i) => new SvgBarChart.Series(MethodLabels.Of(m), Metrics.Select(k =>
                    g.FirstOrDefault(r => (string)r[3]! == m && (string)r[4]! == k.Metric && (r[5] is null ? null : (int?)Convert.ToInt32(r[5])) == k.AblationPct)
                        is { } row ? (double?)Convert.ToDouble(row[6]) : null).ToList(), SvgPlot.Palette[i % SvgPlot.Palette.Count]))
                .ToList();
            var seeds = g.Max(r => Convert.ToInt64(r[7]));
            var chart = new SvgBarChart { Title = $"Concept methods — {model} / {dataset}", YLabel = "value (higher is better)", Categories = Metrics.Select(k => k.Label).ToList(), Bars = bars };
            sb.Append(Html.Figure(chart.Render(), $"Profile {profile}, test split, mean over {seeds} seed(s); a missing bar was not measured.",
                Html.Anchor("comparison", profile, model, dataset)));
        }
        return sb.ToString();
    }
}

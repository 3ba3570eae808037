using System.Text;
using ClassifSae.Reporting.Svg;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// Causality of the newest runs, from the store: per method, the label-flip rate of ablating 25/50/75/100 % of each
/// class's segment (a line per class, the mean over classes dashed), and each selected concept's own conditional effect
/// (the label-flip rate when it alone is removed where it is active), sorted, coloured by its segment class.
/// </summary>
internal static class CausalityFigures
{
    public static string Render(ResultsStore store)
    {
        var sb = new StringBuilder("<h2 id=\"causality\">Causality</h2>\n");
        var shares = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, m.run_id, m.method, m.metric, m.class, m.ablation_pct, m.value
            FROM latest_metrics m JOIN latest_runs r USING (run_id)
            WHERE m.metric IN ('category_label_flip', 'global_label_flip') AND m.ablation_pct IS NOT NULL AND m.split = 'test'
            ORDER BY r.profile, r.model, r.dataset, r.seed, m.method, m.class NULLS LAST, m.ablation_pct
            """).Rows;
        var effects = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, e.run_id, e.method, e.concept, e.label_flip, e.active_sentences, c.segment_class
            FROM concept_effects e JOIN latest_runs r USING (run_id)
            LEFT JOIN concepts c ON c.run_id = e.run_id AND c.method = e.method AND c.concept = e.concept
            ORDER BY r.profile, r.model, r.dataset, r.seed, e.method, e.label_flip DESC, e.concept
            """).Rows;
        if (shares.Count == 0 && effects.Count == 0)
        {
            sb.Append("<p>No causality recorded yet (the Evaluate stage measures it).</p>\n");
            return sb.ToString();
        }
        sb.Append("<p>Label-flip rate: the share of test sentences whose predicted label changes when concepts are removed from the ");
        sb.Append("concept bottleneck. Higher means the concepts matter more to the decision.</p>\n");

        foreach (var g in shares.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3]), (string)r[4]!, (string)r[5]!)))
        {
            var (profile, model, dataset, seed, runId, method) = g.Key;
            var name = ClassNames.Of(store, runId);
            var series = new List<SvgSeries>();
            var i = 0;
            foreach (var cls in g.Where(r => r[7] is not null).GroupBy(r => Convert.ToInt32(r[7])))
                series.Add(new SvgSeries(name(cls.Key), cls.Select(r => ((double)Convert.ToInt32(r[8]), Convert.ToDouble(r[9]))).ToList(),
                    SvgSeriesKind.LineAndMarkers, SvgPlot.Palette[i++ % SvgPlot.Palette.Count]));
            var mean = g.Where(r => (string)r[6]! == "global_label_flip").Select(r => ((double)Convert.ToInt32(r[8]), Convert.ToDouble(r[9]))).ToList();
            if (mean.Count > 0) series.Add(new SvgSeries("mean over classes", mean, SvgSeriesKind.LineAndMarkers, "#333333", Dashed: true));
            var plot = new SvgPlot
            {
                Title = $"{MethodLabels.Of(method)}: ablating a share of each class's segment — {model} / {dataset}",
                XLabel = "share of the class segment ablated (%)", YLabel = "label-flip rate", Series = series, YFromZero = true,
            };
            sb.Append(Html.Figure(plot.Render(), $"{profile} / {model} / {dataset} / seed {seed}: concepts of one class's segment removed, most important first.",
                Html.Anchor("causality-share", profile, model, dataset, "seed", seed, method)));
        }

        foreach (var g in effects.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3]), (string)r[4]!, (string)r[5]!)))
        {
            var (profile, model, dataset, seed, runId, method) = g.Key;
            var name = ClassNames.Of(store, runId);
            var rows = g.ToList();
            var classes = rows.Select(r => r[9] is null ? -1 : Convert.ToInt32(r[9])).ToList();
            string Color(int c) => c < 0 ? "#999999" : SvgPlot.Palette[c % SvgPlot.Palette.Count];
            var chart = new SvgBarChart
            {
                Title = $"{MethodLabels.Of(method)}: each concept's causal effect — {model} / {dataset}",
                YLabel = "conditional label-flip rate",
                Categories = rows.Select(r => $"#{r[6]}").ToList(),
                Bars = [new SvgBarChart.Series("label-flip rate", rows.Select(r => (double?)Convert.ToDouble(r[7])).ToList(), SvgPlot.Palette[0], classes.Select(Color).ToList())],
                Legend = classes.Distinct().Order().Select(c => (c < 0 ? "no segment" : name(c), Color(c))).ToList(),
                ValueLabels = rows.Count <= 24,
            };
            sb.Append(Html.Figure(chart.Render(), $"{profile} / {model} / {dataset} / seed {seed}: each selected concept removed alone on the test sentences where it is active; colour = its segment class.",
                Html.Anchor("concept-effects", profile, model, dataset, "seed", seed, method)));
        }
        return sb.ToString();
    }
}

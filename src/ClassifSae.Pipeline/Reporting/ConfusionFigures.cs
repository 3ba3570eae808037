using System.Text;
using ClassifSae.Reporting.Svg;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>Confusion matrices of the newest runs on the test split: the fine-tuned classifier's, then each method's concept bottleneck's.</summary>
internal static class ConfusionFigures
{
    public static string Render(ResultsStore store)
    {
        var rows = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, c.run_id, c.stage, c.method, c.true_class, c.predicted_class, c.count
            FROM confusion c JOIN latest_runs r USING (run_id)
            WHERE c.split = 'test'
            ORDER BY r.profile, r.model, r.dataset, r.seed, c.stage DESC, c.method NULLS FIRST, c.true_class, c.predicted_class
            """).Rows;
        var sb = new StringBuilder("<h2 id=\"confusion\">Confusion matrices</h2>\n");
        if (rows.Count == 0)
        {
            sb.Append("<p>No confusion matrix recorded yet (FineTune and Evaluate record them).</p>\n");
            return sb.ToString();
        }
        sb.Append("<div class=\"grid\">\n");
        foreach (var g in rows.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3]), (string)r[4]!, (string?)r[6])))
        {
            var (profile, model, dataset, seed, runId, method) = g.Key;
            var n = g.Max(r => Math.Max(Convert.ToInt32(r[7]), Convert.ToInt32(r[8]))) + 1;
            var counts = Enumerable.Range(0, n).Select(_ => new long[n]).ToArray();
            foreach (var r in g) counts[Convert.ToInt32(r[7])][Convert.ToInt32(r[8])] = Convert.ToInt64(r[9]);
            var name = ClassNames.Of(store, runId);
            var who = method is null ? "fine-tuned classifier" : $"{MethodLabels.Of(method)} concept bottleneck";
            var map = new SvgHeatmap { Title = $"{who} — {model} / {dataset}", Labels = Enumerable.Range(0, n).Select(name).ToList(), Counts = counts };
            sb.Append(Html.Figure(map.Render(), $"{profile} / seed {seed}, test split; shade = share of the true class's sentences.",
                Html.Anchor("confusion", profile, model, dataset, "seed", seed, method ?? "classifier")));
        }
        sb.Append("</div>\n");
        return sb.ToString();
    }
}

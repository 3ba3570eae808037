using System.Text;
using ClassifSae.Reporting.Svg;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// Fine-tune and concept-method training losses of the newest run per (profile, model, data set, seed), from the store's
/// <c>training_curves</c> table: one figure for FineTune (a series per phase) and one per trained method (a series per
/// loss term). A term that is zero at every step (a loss switched off) is left out; the axis is logarithmic when every
/// value is positive.
/// </summary>
internal static class TrainingCurveFigures
{
    public static string Render(ResultsStore store)
    {
        var rows = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, c.stage, c.curve, c.term, c.x_unit, c.x, c.value
            FROM training_curves c JOIN latest_runs r USING (run_id)
            ORDER BY r.profile, r.model, r.dataset, r.seed, c.stage, c.curve, c.term, c.x
            """).Rows;
        var sb = new StringBuilder("<h2 id=\"training-curves\">Training curves</h2>\n");
        if (rows.Count == 0)
        {
            sb.Append("<p>No training curve recorded yet (FineTune and Train record every logged step).</p>\n");
            return sb.ToString();
        }
        foreach (var figure in rows.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3]), (string)r[4]!,
                     (string)r[4]! == "finetune" ? "" : (string)r[5]!)))
        {
            var (profile, model, dataset, seed, stage, method) = figure.Key;
            var byName = figure.GroupBy(r => (string)(stage == "finetune" ? r[5]! : r[6]!));
            var series = new List<SvgSeries>();
            var i = 0;
            foreach (var s in byName.OrderBy(g => TermOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                var points = s.Select(r => (Convert.ToDouble(r[8]), Convert.ToDouble(r[9]))).ToList();
                if (points.All(p => p.Item2 == 0)) continue;
                series.Add(new SvgSeries(s.Key, points, Color: SvgPlot.Palette[i++ % SvgPlot.Palette.Count]));
            }
            var where = $"{profile} / {model} / {dataset} / seed {seed}";
            var title = method.Length == 0 ? $"Fine-tuning loss — {model} / {dataset}" : $"{MethodLabels.Of(method)} training loss — {model} / {dataset}";
            var plot = new SvgPlot
            {
                Title = title, XLabel = (string)figure.First()[7]!, YLabel = "loss", Series = series,
                LogY = series.Count > 0 && series.All(s => s.Points.All(p => p.Y > 0)),
            };
            var what = method.Length == 0 ? "fine-tuning phases" : "loss terms (a term that is 0 at every step is not drawn)";
            sb.Append(Html.Figure(plot.Render(), $"{stage}, {where}: {what}.", Html.Anchor("curve", profile, model, dataset, "seed", seed, stage, method)));
        }
        return sb.ToString();
    }

    private static int TermOrder(string term) => Array.IndexOf(["pretrain", "finetune", "total", "mse", "classifier", "activation_rate", "prediction", "knn", "diversity"], term) is var i and >= 0 ? i : 99;
}

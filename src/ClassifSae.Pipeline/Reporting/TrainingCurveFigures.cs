using System.Text;
using ClassifSae.Reporting.Svg;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// Fine-tune and concept-method training losses of the newest run per (profile, model, data set, seed): one figure per
/// curve file the store lists among the stage's artefacts (FineTune's <c>curves.json</c>, each Train method's
/// <c>&lt;method&gt;/training_curve.json</c>); stage folders are never searched.
/// </summary>
internal static class TrainingCurveFigures
{
    /// <param name="runsFolder">Stored paths are relative to it (older stores hold absolute paths, which Path.Combine keeps).</param>
    public static string Render(ResultsStore store, string? runsFolder = null)
    {
        var rows = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, a.stage, a.path
            FROM artefacts a JOIN latest_runs r USING (run_id)
            WHERE (a.stage = 'finetune' AND (a.path LIKE '%/curves.json' OR a.path = 'curves.json'))
               OR (a.stage = 'train' AND a.path LIKE '%/training_curve.json')
            ORDER BY r.profile, r.model, r.dataset, r.seed, a.stage, a.path
            """).Rows;
        var sb = new StringBuilder("<h2 id=\"training-curves\">Training curves</h2>\n");
        if (rows.Count == 0)
        {
            sb.Append("<p>No fine-tune or train stage recorded yet.</p>\n");
            return sb.ToString();
        }
        foreach (var r in rows)
        {
            var (profile, model, dataset, seed, stage, stored) = ((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3]), (string)r[4]!, (string)r[5]!);
            var file = Path.GetFullPath(Path.Combine(runsFolder ?? ".", stored));
            var where = $"{profile} / {model} / {dataset} / seed {seed}";
            if (!File.Exists(file))
            {
                sb.Append($"<p>{Html.Esc(stage)} curve of {Html.Esc(where)}: <code>{Html.Esc(file)}</code> is listed in the store but missing.</p>\n");
                continue;
            }
            var curves = CurveFile.Read(file);
            var series = curves.Series.Select(s => new SvgSeries(s.Name, s.Points)).ToList();
            var method = stage == "finetune" ? null : MethodName(Path.GetFileName(Path.GetDirectoryName(file)!));
            var title = method is null ? $"Fine-tuning loss — {model} / {dataset}" : $"{method} training loss — {model} / {dataset}";
            var plot = new SvgPlot { Title = title, XLabel = curves.XLabel, YLabel = "loss", Series = series, LogY = series.All(s => s.Points.All(p => p.Y > 0)) };
            var shown = method is null ? $"{stage}/{Path.GetFileName(file)}" : $"{stage}/{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}";
            sb.Append(Html.Figure(plot.Render(), $"{shown}, {where}."));
        }
        return sb.ToString();
    }

    private static string MethodName(string folder) =>
        Concepts.ConceptMethods.Keys.Contains(folder) ? Concepts.ConceptMethods.Get(folder).DisplayName : folder;
}

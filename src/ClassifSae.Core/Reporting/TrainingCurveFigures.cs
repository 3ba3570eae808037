using System.Text;
using ClassifSae.Reporting.Svg;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>Fine-tune and SAE training losses of the newest run per (profile, model, data set, seed), from the curve files of the stages the store lists.</summary>
internal static class TrainingCurveFigures
{
    /// <param name="runsFolder">Stored manifest paths are relative to it (older stores hold absolute paths, which Path.Combine keeps).</param>
    public static string Render(ResultsStore store, string? runsFolder = null)
    {
        var rows = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, s.stage, s.manifest_path
            FROM stages s JOIN latest_runs r USING (run_id)
            WHERE s.stage IN ('finetune', 'train') AND s.manifest_path IS NOT NULL
            ORDER BY r.profile, r.model, r.dataset, r.seed, s.stage
            """).Rows;
        var sb = new StringBuilder("<h2 id=\"training-curves\">Training curves</h2>\n");
        if (rows.Count == 0)
        {
            sb.Append("<p>No fine-tune or train stage recorded yet.</p>\n");
            return sb.ToString();
        }
        foreach (var r in rows)
        {
            var (profile, model, dataset, seed, stage) = ((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3]), (string)r[4]!);
            var folder = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(runsFolder ?? ".", (string)r[5]!)))!;
            var files = stage == "finetune"
                ? [Path.Combine(folder, "curves.json")]
                : Directory.Exists(folder) ? Directory.GetFiles(folder, "training_curve.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray() : [];
            var where = $"{profile} / {model} / {dataset} / seed {seed}";
            if (files.Length == 0 || !files.All(File.Exists))
            {
                sb.Append($"<p>{Html.Esc(stage)} curve of {Html.Esc(where)}: file not found under <code>{Html.Esc(folder)}</code>.</p>\n");
                continue;
            }
            foreach (var file in files)
            {
                var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
                var series = CurveFile.Read(file).Select(s => new SvgSeries(s.Name, s.Points)).ToList();
                var title = stage == "finetune" ? $"Fine-tuning loss — {model} / {dataset}" : $"SAE training loss ({relative}) — {model} / {dataset}";
                var plot = new SvgPlot { Title = title, XLabel = "step", YLabel = "loss", Series = series, LogY = series.All(s => s.Points.All(p => p.Y > 0)) };
                sb.Append(Html.Figure(plot.Render(), $"{stage}/{relative}, {where}."));
            }
        }
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// The paper's method (paper-2025) beside upstream's current one (upstream-2026) for the same profile, model and data set:
/// one table per cell measured under both, test-split means over seeds, from the store's <c>summary</c> view only.
/// </summary>
public static class MethodVersionTables
{
    /// <summary>The compared metrics, in row order (those a version did not measure show the missing mark).</summary>
    public static readonly IReadOnlyList<string> Metrics =
    [
        "recovery_accuracy", "avg_activation_rate_pct", "max_activation_rate_pct", "cond_label_flip_rate", "cond_tvd",
        "conceptsim_weighted", "sentencesim_k1", "top_sentence_subtopic_purity",
    ];

    public static void AppendMarkdown(StringBuilder sb, ResultsStore store)
    {
        var list = string.Join(", ", Metrics.Select(m => $"'{m}'"));
        var rows = store.Query($"""
            SELECT run_profile, dataset, model, method, metric, method_version, mean, n_seeds
            FROM summary
            WHERE split = 'test' AND method IS NOT NULL AND metric IN ({list})
            QUALIFY formula_version = max(formula_version) OVER (PARTITION BY run_profile, method_version, dataset, model, method, metric)
            """).Rows;
        var cells = rows.GroupBy(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!))
            .Where(g => g.Select(r => (string)r[5]!).Distinct().Count() > 1)
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal).ThenBy(g => g.Key.Item3, StringComparer.Ordinal)
            .ToList();
        if (cells.Count == 0) return;
        var versions = global::ClassifSae.Settings.MethodVersion.All;
        sb.Append("## Method versions side by side\n\n");
        sb.Append("The paper's method (paper-2025, d5286e9) and the authors' current one (upstream-2026, bc50f40: ClassifSAE v2 loss, ");
        sb.Append("class-mean segmentation, norm-rescaled reconstructions, conditional causality only) on the same fine-tuned model and cached states; ");
        sb.Append("test split, mean over seeds.\n\n");
        foreach (var cell in cells)
        {
            var (profile, dataset, model) = cell.Key;
            sb.Append(CultureInfo.InvariantCulture, $"### {ReportText.Escape(profile)} / {ReportText.Escape(dataset)} / {ReportText.Escape(model)}\n\n");
            MarkdownTableFormatter.AppendRowRaw(sb, ["method", "metric", .. versions]);
            MarkdownTableFormatter.AppendRowRaw(sb, ["---", "---", .. versions.Select(_ => "---:")]);
            foreach (var method in cell.Select(r => (string)r[3]!).Distinct().Order(StringComparer.Ordinal))
            foreach (var metric in Metrics)
            {
                var values = versions.Select(v => cell.FirstOrDefault(r => (string)r[3]! == method && (string)r[4]! == metric && (string)r[5]! == v)).ToList();
                if (values.All(v => v is null)) continue;
                MarkdownTableFormatter.AppendRowRaw(sb, [ReportText.Escape(method), metric,
                    .. values.Select(v => v is null ? ReportText.Missing : ReportText.Number(Convert.ToDouble(v[6], CultureInfo.InvariantCulture)))]);
            }
            sb.Append('\n');
        }
    }
}

using System.Text;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// The paper's comparison tables (recovery accuracy, activation rate, Δf_cond, TVD_cond, ConceptSim, SentenceSim), one per
/// (profile, data set), built only from the store's <c>paper_table</c> view: our mean ± std over seeds beside the authors'
/// published mean ± std. Every method × model of the grid is shown; a cell nobody measured is "—", never 0.
/// </summary>
public static class PaperTables
{
    /// <summary>Metrics shown as table columns, as "metric" or "metric@k" (SentenceSim(k) for k &gt; 1 is in the SentenceSim figure).</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["recovery_accuracy", "avg_activation_rate_pct", "cond_label_flip_rate", "cond_tvd", "conceptsim_weighted", "sentencesim@k1"];

    /// <summary>The column key of a paper_metrics / paper_table row: the metric, with "@k" for SentenceSim(k).</summary>
    private static string ColumnKey(object? metric, object? k) => k is null ? (string)metric! : $"{metric}@k{Convert.ToInt32(k)}";

    internal sealed record Section(string? Profile, string Dataset, IReadOnlyList<string> Models, IReadOnlyList<string> Methods,
        IReadOnlyDictionary<(string Model, string Method, string Metric), PaperCell> Cells);

    internal sealed record Data(IReadOnlyList<Section> Sections, IReadOnlyDictionary<string, string> MetricLabels, IReadOnlyDictionary<string, string> MethodLabels);

    internal static Data Read(ResultsStore store)
    {
        var metricLabels = store.Query("SELECT metric, k, label FROM paper_metrics ORDER BY position").Rows
            .ToDictionary(r => ColumnKey(r[0], r[1]), r => (string)r[2]!);
        var methodRows = store.Query("SELECT method, label FROM paper_methods ORDER BY position").Rows;
        var methodLabels = methodRows.ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        var paperMethods = methodRows.Select(r => (string)r[0]!).ToList();
        var rows = store.Query("""
            SELECT profile, dataset, model, method, metric, ours_mean, ours_std, ours_n, paper_mean, paper_std, paper_n, k
            FROM paper_table ORDER BY dataset, model, method, metric_position
            """).Rows;

        var profiles = rows.Where(r => r[0] is not null).Select(r => ((string)r[0]!, (string)r[1]!)).Distinct()
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal).ToList();
        var covered = profiles.Select(p => p.Item2).ToHashSet();
        var publishedOnly = rows.Where(r => r[0] is null && !covered.Contains((string)r[1]!)).Select(r => (string)r[1]!).Distinct().Order(StringComparer.Ordinal);

        var sections = new List<Section>();
        foreach (var (profile, dataset) in profiles.Select(p => ((string?)p.Item1, p.Item2)).Concat(publishedOnly.Select(d => ((string?)null, d))))
        {
            var mine = rows.Where(r => (string)r[1]! == dataset && (r[0] is null || (string?)r[0] == profile)).ToList();
            var cells = new Dictionary<(string, string, string), PaperCell>();
            foreach (var r in mine)
            {
                var key = ((string)r[2]!, (string)r[3]!, ColumnKey(r[4], r[11]));
                var old = cells.GetValueOrDefault(key) ?? new PaperCell(null, null);
                cells[key] = new PaperCell(old.Ours ?? Value(r[5], r[6], r[7]), old.Paper ?? Value(r[8], r[9], r[10]));
            }
            // Our models first (in name order), then the paper's.
            var models = mine.Where(r => r[5] is not null).Select(r => (string)r[2]!).Distinct().Order(ModelOrder.Instance)
                .Concat(mine.Select(r => (string)r[2]!).Distinct().Order(ModelOrder.Instance)).Distinct().ToList();
            var methods = paperMethods.Concat(mine.Select(r => (string)r[3]!).Distinct().Order(StringComparer.Ordinal)).Distinct().ToList();
            sections.Add(new Section(profile, dataset, models, methods, cells));
        }
        return new Data(sections, metricLabels, methodLabels);
    }

    public static void AppendMarkdown(StringBuilder sb, ResultsStore store)
    {
        var data = Read(store);
        sb.Append("## Paper tables\n\n");
        sb.Append("Each cell is **ours** (mean ± sample std over seeds, test split, newest run per seed) and, in brackets, the number the ");
        sb.Append($"authors published (mean ± std over their seeds 42 and 43) for the same model, data set and method. {ReportText.Missing} marks a number ");
        sb.Append($"that was not measured. Published numbers: {ReportText.Escape(ReferenceResults.Citation)}. ");
        sb.Append("Δf_cond is the conditional label-flip rate and TVD_cond the conditional total-variation distance of single-concept ablations.");
        var encoders = store.Query("SELECT DISTINCT ours_encoder FROM paper_table WHERE ours_encoder IS NOT NULL ORDER BY 1").Rows.Select(r => (string)r[0]!).ToList();
        if (encoders.Count > 0)
            sb.Append($" Our ConceptSim and SentenceSim use the sentence encoder {ReportText.Escape(string.Join(", ", encoders))}; the published ones used " +
                      "sentence-transformers/all-MiniLM-L6-v2, so the two are comparable only when the encoders match.");
        sb.Append("\n\n");
        if (data.Sections.Count == 0)
        {
            sb.Append("No comparable numbers in the store.\n\n");
            return;
        }
        foreach (var section in data.Sections)
        {
            var title = section.Profile is null
                ? $"### {ReportText.Escape(section.Dataset)}: published numbers only (not run here)\n\n"
                : $"### {ReportText.Escape(section.Dataset)} (profile {ReportText.Escape(section.Profile)})\n\n";
            sb.Append(title);
            var columns = Columns.Where(data.MetricLabels.ContainsKey).ToList();
            MarkdownTableFormatter.AppendRowRaw(sb, ["method", "model", .. columns.Select(c => ReportText.Escape(data.MetricLabels[c]))]);
            MarkdownTableFormatter.AppendRowRaw(sb, ["---", "---", .. columns.Select(_ => "---:")]);
            foreach (var method in section.Methods)
                foreach (var model in section.Models)
                {
                    var texts = columns.Select(c => CellText(section.Cells.GetValueOrDefault((model, method, c)))).ToList();
                    MarkdownTableFormatter.AppendRowRaw(sb, [ReportText.Escape(data.MethodLabels.GetValueOrDefault(method, method)), ReportText.Escape(model), .. texts]);
                }
            sb.Append('\n');
        }
    }

    internal static string CellText(PaperCell? cell)
    {
        var ours = cell?.Ours is { } o ? ReportText.Cell(o.Mean, o.Std, o.N) : ReportText.Missing;
        var paper = cell?.Paper is { } p ? ReportText.Cell(p.Mean, p.Std, p.N) : ReportText.Missing;
        return $"{ours} ({paper})";
    }

    private static PaperValue? Value(object? mean, object? std, object? n) =>
        mean is null ? null : new PaperValue(Convert.ToDouble(mean), std is null ? null : Convert.ToDouble(std), n is null ? 1 : Convert.ToInt64(n));
}

using System.Text;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// The paper's comparison tables (recovery accuracy, activation rate, Δf_cond, TVD_cond, ConceptSim, SentenceSim), one per
/// (profile, data set) we measured, built only from the store: our mean ± std over seeds beside the authors' published mean ±
/// std where our model and data set are the published ones (<see cref="PublishedCells"/>); every method of the paper is a
/// row; a cell nobody measured is "—", never 0.
/// </summary>
public static class PaperTables
{
    /// <summary>Metrics shown as table columns, as "metric" or "metric@k" (SentenceSim(k) for k &gt; 1 is in the SentenceSim figure).</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["recovery_accuracy", "avg_activation_rate_pct", "cond_label_flip_rate", "cond_tvd", "conceptsim_weighted", "sentencesim@k1"];

    /// <summary>The column key of a paper_metrics / paper_table row: the metric, with "@k" for SentenceSim(k).</summary>
    private static string ColumnKey(object? metric, object? k) => k is null ? (string)metric! : $"{metric}@k{Convert.ToInt32(k)}";

    /// <param name="Published">Each of our models → the published cell it matches (<see cref="PublishedCells"/>), null when none.</param>
    internal sealed record Section(string? Profile, string Dataset, IReadOnlyList<string> Models, IReadOnlyList<string> Methods,
        IReadOnlyDictionary<(string Model, string Method, string Metric), PaperCell> Cells,
        IReadOnlyDictionary<string, PublishedCells.Cell?> Published)
    {
        public bool AnyPublished => Published.Values.Any(p => p is not null);
    }

    internal sealed record Data(IReadOnlyList<Section> Sections, IReadOnlyDictionary<string, string> MetricLabels, IReadOnlyDictionary<string, string> MethodLabels);

    /// <summary>One section per (profile, data set) we measured; published numbers only beside cells whose model and data set they are.</summary>
    internal static Data Read(ResultsStore store)
    {
        var metricLabels = store.Query("SELECT metric, k, label FROM paper_metrics ORDER BY position").Rows
            .ToDictionary(r => ColumnKey(r[0], r[1]), r => (string)r[2]!);
        var methodRows = store.Query("SELECT method, label FROM paper_methods ORDER BY position").Rows;
        var methodLabels = methodRows.ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        var paperMethods = methodRows.Select(r => (string)r[0]!).ToList();
        var ours = store.Query("""
            SELECT profile, dataset, model, method, metric, ours_mean, ours_std, ours_n, k
            FROM paper_table WHERE profile IS NOT NULL AND ours_mean IS NOT NULL
            """).Rows;
        var published = Published(store);
        var matches = PublishedCells.Read(store);

        var sections = new List<Section>();
        foreach (var group in ours.GroupBy(r => ((string)r[0]!, (string)r[1]!))
                     .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal))
        {
            var (profile, dataset) = group.Key;
            var models = group.Select(r => (string)r[2]!).Distinct().Order(ModelOrder.Instance).ToList();
            var methods = paperMethods.Concat(group.Select(r => (string)r[3]!).Distinct().Order(StringComparer.Ordinal)).Distinct().ToList();
            var match = models.ToDictionary(m => m, m => matches.GetValueOrDefault((profile, m, dataset)));
            var cells = new Dictionary<(string, string, string), PaperCell>();
            foreach (var r in group)
                cells[((string)r[2]!, (string)r[3]!, ColumnKey(r[4], r[8]))] = new PaperCell(Value(r[5], r[6], r[7]), null);
            foreach (var model in models)
                if (match[model] is { } cell)
                    foreach (var ((pModel, pDataset, method, column), value) in published)
                        if (pModel == cell.Model && pDataset == cell.Dataset)
                            cells[(model, method, column)] = (cells.GetValueOrDefault((model, method, column)) ?? new PaperCell(null, null)) with { Paper = value };
            sections.Add(new Section(profile, dataset, models, methods, cells, match));
        }
        return new Data(sections, metricLabels, methodLabels);
    }

    /// <summary>The authors' numbers (mean over their seeds) by (model, data set, method, column).</summary>
    internal static IReadOnlyDictionary<(string Model, string Dataset, string Method, string Column), PaperValue> Published(ResultsStore store) =>
        store.Query("""
            SELECT model, dataset, method, metric, k, mean, std, n_seeds FROM reference_summary
            WHERE class IS NULL AND ablation_pct IS NULL AND metric IN (SELECT metric FROM paper_metrics)
            """).Rows.ToDictionary(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, ColumnKey(r[3], r[4])), r => Value(r[5], r[6], r[7])!);

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
            sb.Append($"### {ReportText.Escape(section.Dataset)} (profile {ReportText.Escape(section.Profile)})\n\n");
            sb.Append(PublishedNote(section));
            var columns = Columns.Where(data.MetricLabels.ContainsKey).ToList();
            MarkdownTableFormatter.AppendRowRaw(sb, ["method", "model", .. columns.Select(c => ReportText.Escape(data.MetricLabels[c]))]);
            MarkdownTableFormatter.AppendRowRaw(sb, ["---", "---", .. columns.Select(_ => "---:")]);
            foreach (var method in section.Methods)
                foreach (var model in section.Models)
                {
                    var texts = columns.Select(c => CellText(section.Cells.GetValueOrDefault((model, method, c)), section.Published[model] is not null)).ToList();
                    MarkdownTableFormatter.AppendRowRaw(sb, [ReportText.Escape(data.MethodLabels.GetValueOrDefault(method, method)), ReportText.Escape(model), .. texts]);
                }
            sb.Append('\n');
        }
    }

    /// <summary>Says which published cell each model's brackets hold, or that there is none for this model and data.</summary>
    private static string PublishedNote(Section section)
    {
        if (!section.AnyPublished)
            return "No published numbers for this model and data (the authors published Pythia 70m, 160m, 410m and 1b on AG News and IMDB); ours only.\n\n";
        var parts = section.Models.Select(m => section.Published[m] is { } p
            ? $"{ReportText.Escape(m)}: published {ReportText.Escape(p.Model)} on {ReportText.Escape(p.Dataset)}"
            : $"{ReportText.Escape(m)}: no published numbers for this model and data");
        return $"In brackets: {string.Join("; ", parts)}.\n\n";
    }

    /// <param name="withPublished">False where no published cell matches: ours alone, without an empty bracket.</param>
    internal static string CellText(PaperCell? cell, bool withPublished = true)
    {
        var ours = cell?.Ours is { } o ? ReportText.Cell(o.Mean, o.Std, o.N) : ReportText.Missing;
        if (!withPublished) return ours;
        var paper = cell?.Paper is { } p ? ReportText.Cell(p.Mean, p.Std, p.N) : ReportText.Missing;
        return $"{ours} ({paper})";
    }

    private static PaperValue? Value(object? mean, object? std, object? n) =>
        mean is null ? null : new PaperValue(Convert.ToDouble(mean), std is null ? null : Convert.ToDouble(std), n is null ? 1 : Convert.ToInt64(n));
}

using System.Collections;
using System.Text;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// Builds the Markdown summary from the results store alone: one methods × metrics table per
/// (profile, dataset), from the latest run per seed, then the runs and stages that produced them.
/// </summary>
public static class SummaryMarkdownBuilder
{
    private sealed record CellKey(string Profile, string Dataset, string Model, string? Method, string Split, string Metric);

    private sealed record Column(string Metric, string Split)
    {
        public string Header => $"{Metric} ({Split})";
    }

    public static string Build(ResultsStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var cells = ReadCells(store);
        var sb = new StringBuilder();
        sb.Append("# ClassifSAE results summary\n\n");
        sb.Append($"Source: `{Path.GetFileName(store.Path)}` (results schema version {store.SchemaVersion}).\n");
        sb.Append("Each cell uses the newest run for each seed; with several seeds it shows mean ± sample standard deviation. ");
        sb.Append($"{ReportText.Missing} marks a value that was never measured; (n=k) marks a cell with fewer seeds than its row. ");
        sb.Append("Metrics recorded without a method (the fine-tuned classifier's own) are repeated on every method row of that model.\n\n");

        if (cells.Count == 0)
            sb.Append("No metrics recorded yet.\n\n");
        else
            AppendMetricSections(sb, cells);
        PaperTables.AppendMarkdown(sb, store);
        AppendRuns(sb, store);
        AppendStages(sb, store);
        return sb.ToString();
    }

    private static void AppendMetricSections(StringBuilder sb, Dictionary<CellKey, SummaryCell> cells)
    {
        // The same columns in every table, so tables of different datasets line up.
        var columns = cells.Keys.Select(k => new Column(k.Metric, k.Split)).Distinct()
            .OrderBy(c => IndexOf(ReportMetrics.Key, c.Metric)).ThenBy(c => ReportMetrics.SplitOrder(c.Split)).ThenBy(c => c.Split, StringComparer.Ordinal)
            .ToList();
        var anyOlderFormula = false;

        foreach (var section in cells.Keys.GroupBy(k => (k.Profile, k.Dataset)).OrderBy(g => g.Key.Profile, StringComparer.Ordinal).ThenBy(g => g.Key.Dataset, StringComparer.Ordinal))
        {
            var (profile, dataset) = section.Key;
            sb.Append($"## {ReportText.Escape(profile)} / {ReportText.Escape(dataset)}\n\n");

            var methodRows = section.Where(k => k.Method is not null).Select(k => (k.Model, k.Method)).Distinct().ToList();
            var classifierOnly = section.Where(k => k.Method is null).Select(k => k.Model).Distinct()
                .Where(model => methodRows.All(r => r.Model != model)).Select(model => (Model: model, Method: (string?)null));
            var rows = methodRows.Concat(classifierOnly)
                .OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Method ?? "", StringComparer.Ordinal).ToList();

            MarkdownTableFormatter.AppendRowRaw(sb, ["model", "method", "seeds", .. columns.Select(c => c.Header)]);
            MarkdownTableFormatter.AppendRowRaw(sb, ["---", "---", "---", .. columns.Select(_ => "---:")]);
            foreach (var (model, method) in rows)
            {
                var found = columns.Select(c => Lookup(cells, new CellKey(profile, dataset, model, method, c.Split, c.Metric))).ToList();
                var own = columns.Select(c => cells.GetValueOrDefault(new CellKey(profile, dataset, model, method, c.Split, c.Metric)))
                    .OfType<SummaryCell>().ToList();
                var seeds = (own.Count > 0 ? own : found.OfType<SummaryCell>()).SelectMany(c => c.Seeds).Distinct().Order().ToList();
                var texts = found.Select(c => c is null ? ReportText.Missing : CellText(c, seeds.Count)).ToList();
                anyOlderFormula |= found.Any(c => c?.OlderFormulaExcluded == true);
                MarkdownTableFormatter.AppendRowRaw(sb, [ReportText.Escape(model), ReportText.Escape(method), string.Join(", ", seeds), .. texts]);
            }
            sb.Append('\n');
        }
        if (anyOlderFormula)
            sb.Append("† Some seeds were measured with an older formula version of this metric; only the newest formula version is shown.\n\n");
    }

    private static string CellText(SummaryCell cell, int rowSeeds)
    {
        var text = ReportText.Cell(cell.Mean, cell.Std, cell.N);
        if (cell.N < rowSeeds) text += $" (n={cell.N})";
        return cell.OlderFormulaExcluded ? text + " †" : text;
    }

    /// <summary>The row's own value, or for a method row the value the model's classifier recorded without a method.</summary>
    private static SummaryCell? Lookup(Dictionary<CellKey, SummaryCell> cells, CellKey key) =>
        cells.GetValueOrDefault(key) ?? (key.Method is null ? null : cells.GetValueOrDefault(key with { Method = null }));

    private static Dictionary<CellKey, SummaryCell> ReadCells(ResultsStore store)
    {
        var keyList = string.Join(", ", ReportMetrics.Key.Select(m => $"'{m}'"));
        var result = store.Query($"""
            SELECT profile, dataset, model, method, split, metric, formula_version, n_seeds, mean, std, seeds
            FROM summary WHERE metric IN ({keyList})
            ORDER BY formula_version DESC
            """);
        var cells = new Dictionary<CellKey, SummaryCell>();
        foreach (var r in result.Rows)
        {
            var key = new CellKey((string)r[0]!, (string)r[1]!, (string)r[2]!, (string?)r[3], (string)r[4]!, (string)r[5]!);
            if (cells.TryGetValue(key, out var newer))
            {
                // Rows come newest formula first: a second row for the same cell is an older formula.
                cells[key] = newer with { OlderFormulaExcluded = true };
                continue;
            }
            var seeds = ((IEnumerable)r[10]!).Cast<object>().Select(Convert.ToInt32).ToList();
            cells[key] = new SummaryCell(Convert.ToDouble(r[8]), r[9] is null ? null : Convert.ToDouble(r[9]), Convert.ToInt64(r[7]), seeds, false);
        }
        return cells;
    }

    private static void AppendRuns(StringBuilder sb, ResultsStore store)
    {
        var runs = store.Query("""
            SELECT run_id, profile, model, dataset, method, seed, config_hash, git_commit, device, created_at
            FROM runs ORDER BY created_at, run_id
            """);
        sb.Append("## Runs\n\n");
        if (runs.Rows.Count == 0)
        {
            sb.Append("No runs recorded yet.\n\n");
            return;
        }
        MarkdownTableFormatter.AppendRowRaw(sb, ["run id", "profile", "model", "dataset", "method", "seed", "config hash", "git commit", "device", "created at (UTC)"]);
        MarkdownTableFormatter.AppendRowRaw(sb, ["---", "---", "---", "---", "---", "---:", "---", "---", "---", "---"]);
        foreach (var r in runs.Rows)
            MarkdownTableFormatter.AppendRowRaw(sb, [
                ReportText.Escape((string)r[0]!), ReportText.Escape((string)r[1]!), ReportText.Escape((string)r[2]!),
                ReportText.Escape((string)r[3]!), ReportText.Escape((string?)r[4]), Convert.ToString(r[5], System.Globalization.CultureInfo.InvariantCulture)!,
                ReportText.Escape(Short((string)r[6]!)), ReportText.Escape(Short((string?)r[7])), ReportText.Escape((string)r[8]!),
                ReportText.Timestamp((DateTime)r[9]!)]);
        sb.Append('\n');
    }

    private static void AppendStages(StringBuilder sb, ResultsStore store)
    {
        var stages = store.Query("""
            SELECT s.run_id, s.stage, s.status, s.seconds, s.started_at
            FROM stages s LEFT JOIN runs r USING (run_id)
            ORDER BY r.created_at, s.run_id, s.started_at, s.stage
            """);
        if (stages.Rows.Count == 0) return;
        sb.Append("## Stages\n\n");
        MarkdownTableFormatter.AppendRowRaw(sb, ["run id", "stage", "status", "seconds", "started at (UTC)"]);
        MarkdownTableFormatter.AppendRowRaw(sb, ["---", "---", "---", "---:", "---"]);
        foreach (var r in stages.Rows)
            MarkdownTableFormatter.AppendRowRaw(sb, [
                ReportText.Escape((string)r[0]!), ReportText.Escape((string)r[1]!), ReportText.Escape((string)r[2]!),
                r[3] is null ? ReportText.Missing : ReportText.Number(Convert.ToDouble(r[3])), ReportText.Timestamp((DateTime)r[4]!)]);
        sb.Append('\n');
    }

    /// <summary>Hashes and commits are shortened to 12 characters, plenty to tell runs apart.</summary>
    private static string? Short(string? id) => id is { Length: > 12 } ? id[..12] : id;

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == item) return i;
        return list.Count;
    }
}

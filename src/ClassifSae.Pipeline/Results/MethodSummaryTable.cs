using System.Globalization;
using System.Text;

namespace ClassifSae.Results;

/// <summary>
/// The README's "What the smoke run measures" table, printed from the store so anyone can rerun it: per concept method,
/// the test-split numbers of the newest run of each (model, data set, seed) of a profile — averaged over seeds when
/// there are several, printed as mean ± sample standard deviation — with the CPU model, thread count, device, seeds and
/// commit the numbers were produced with.
/// </summary>
public static class MethodSummaryTable
{
    /// <summary>A method's metrics in one cell: mean over seeds, and the seeds' sample standard deviation when there are several.</summary>
    private sealed record Stats(IReadOnlyDictionary<string, double> Mean, IReadOnlyDictionary<string, double> Sd)
    {
        public bool TryGetValue(string metric, out double value) => Mean.TryGetValue(metric, out value);
    }

    /// <summary>The columns, in order: header and how a cell is printed from the method's metrics.</summary>
    private static readonly (string Header, Func<Stats, string> Cell)[] Columns =
    [
        ("recovery acc.", m => F(m, "recovery_accuracy", 3)),
        ("avg / max activation rate (%)", m => $"{F(m, "avg_activation_rate_pct", 1)} / {F(m, "max_activation_rate_pct", 1)}"),
        ("live concepts", m => m.TryGetValue("n_selected_features", out var s)
            ? (m.TryGetValue("n_concepts", out var n) ? $"{Int(s)} of {Int(n)}" : Int(s)) + (m.Sd.TryGetValue("n_selected_features", out var sd) ? $" (± {sd.ToString("F1", CultureInfo.InvariantCulture)})" : "")
            : "—"),
        ("Δf_cond", m => F(m, "cond_label_flip_rate", 3)),
        ("TVD_cond", m => F(m, "cond_tvd", 3)),
        ("100 % segment-ablation flip rate", m => F(m, "global_label_flip@100pct", 3)),
        ("ConceptSim (weighted)", m => F(m, "conceptsim_weighted", 3)),
        ("SentenceSim(1) / (4)", m => $"{F(m, "sentencesim@k1", 3)} / {F(m, "sentencesim@k4", 3)}"),
        ("sub-topic purity of top sentences", m => F(m, "top_sentence_subtopic_purity", 3)),
    ];

    /// <summary>One Markdown section per (model, data set) of <paramref name="profile"/>; a one-line note when the store has none.</summary>
    public static string Markdown(ResultsStore store, string profile)
    {
        ArgumentNullException.ThrowIfNull(store);
        var args = new Dictionary<string, object?> { ["profile"] = profile };
        var runs = store.Query("""
            SELECT model, dataset, seed, run_id, coalesce(cpu_model, 'unknown CPU') AS cpu, threads, device, coalesce(git_commit, 'unknown') AS git
            FROM latest_runs WHERE profile = $profile
            ORDER BY model, dataset, seed
            """, args).Rows;
        if (runs.Count == 0) return $"No runs of profile '{profile}' in {store.Path}.\n";

        // Newest value of each metric within each run (a rerun of a stage appends), then the mean over seeds. Per-class numbers
        // are left out; an ablated share or a k is part of the cell's key (e.g. global_label_flip@100pct, sentencesim@k1).
        var values = store.Query("""
            WITH newest AS (
                SELECT m.run_id, m.method, m.metric || coalesce('@' || m.ablation_pct || 'pct', '') || coalesce('@k' || m.k, '') AS metric,
                       m.value, m.encoder
                FROM metrics m JOIN latest_runs r USING (run_id)
                WHERE r.profile = $profile AND m.split = 'test' AND m.method IS NOT NULL AND m.class IS NULL
                QUALIFY row_number() OVER (PARTITION BY m.run_id, m.method, m.metric, m.ablation_pct, m.k ORDER BY m.recorded_at DESC) = 1
            ), candidates AS (
                SELECT c.run_id, c.method, 'n_concepts' AS metric, max(c.n_concepts)::DOUBLE AS value, NULL AS encoder
                FROM concepts c JOIN latest_runs r USING (run_id) WHERE r.profile = $profile
                GROUP BY c.run_id, c.method
            )
            SELECT r.model, r.dataset, v.method, v.metric, avg(v.value) AS value, count(*) AS n_seeds, string_agg(DISTINCT v.encoder, ', ') AS encoder,
                   stddev_samp(v.value) AS sd
            FROM (SELECT * FROM newest UNION ALL SELECT * FROM candidates) v JOIN latest_runs r USING (run_id)
            GROUP BY r.model, r.dataset, v.method, v.metric
            """, args).Rows;

        var sb = new StringBuilder();
        foreach (var cell in runs.GroupBy(r => ((string)r[0]!, (string)r[1]!)))
        {
            var (model, dataset) = cell.Key;
            var rows = cell.ToList();
            sb.Append(CultureInfo.InvariantCulture, $"Profile `{profile}`, {model} × {dataset}, seed{(rows.Count > 1 ? "s" : "")} ")
              .Append(string.Join(", ", rows.Select(r => Convert.ToInt64(r[2], CultureInfo.InvariantCulture))))
              .Append(rows.Count > 1 ? " (mean ± sample sd over seeds)" : "")
              .Append(": ").Append(Distinct(rows, 4, v => (string)v!))
              .Append(", ").Append(Distinct(rows, 5, v => Convert.ToInt64(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture))).Append(" threads")
              .Append(", device ").Append(Distinct(rows, 6, v => (string)v!))
              .Append(", commit ").Append(Distinct(rows, 7, v => (string)v! is { Length: > 12 } g ? g[..12] : (string)v!));
            var mine = values.Where(v => (string)v[0]! == model && (string)v[1]! == dataset).ToList();
            var encoders = mine.Select(v => v[6] as string).Where(e => !string.IsNullOrEmpty(e)).Distinct().Order().ToList();
            if (encoders.Count > 0) sb.Append(", sentence encoder ").Append(string.Join(", ", encoders));
            sb.Append(".\n\n");

            sb.Append("| method | ").Append(string.Join(" | ", Columns.Select(c => c.Header))).Append(" |\n");
            sb.Append("|---|").Append(string.Concat(Columns.Select(_ => "---:|"))).Append('\n');
            foreach (var method in mine.Select(v => (string)v[2]!).Distinct().OrderBy(MethodOrder).ThenBy(m => m, StringComparer.Ordinal))
            {
                var ofMethod = mine.Where(v => (string)v[2]! == method).ToList();
                var metrics = new Stats(
                    ofMethod.ToDictionary(v => (string)v[3]!, v => Convert.ToDouble(v[4], CultureInfo.InvariantCulture)),
                    ofMethod.Where(v => Convert.ToInt64(v[5], CultureInfo.InvariantCulture) > 1 && v[7] is not null and not DBNull)
                        .ToDictionary(v => (string)v[3]!, v => Convert.ToDouble(v[7], CultureInfo.InvariantCulture)));
                sb.Append("| ").Append(method).Append(" | ").Append(string.Join(" | ", Columns.Select(c => c.Cell(metrics)))).Append(" |\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    // Registry order (the paper's); methods this build does not know go last.
    private static int MethodOrder(string method)
    {
        var i = Concepts.ConceptMethods.Keys.ToList().IndexOf(method);
        return i < 0 ? int.MaxValue : i;
    }

    private static string Distinct(IEnumerable<IReadOnlyList<object?>> rows, int column, Func<object?, string> text) =>
        string.Join(" / ", rows.Select(r => text(r[column])).Distinct());

    private static string F(Stats m, string metric, int decimals)
    {
        if (!m.Mean.TryGetValue(metric, out var v) || !double.IsFinite(v)) return "—";
        var text = v.ToString("F" + decimals, CultureInfo.InvariantCulture);
        return m.Sd.TryGetValue(metric, out var sd) && double.IsFinite(sd) ? $"{text} ± {sd.ToString("F" + decimals, CultureInfo.InvariantCulture)}" : text;
    }

    private static string Int(double v) => Math.Round(v).ToString(CultureInfo.InvariantCulture);
}

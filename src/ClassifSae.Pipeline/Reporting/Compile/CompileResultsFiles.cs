using System.Globalization;
using System.Text;
using ClassifSae.Formats;
using ClassifSae.Results;

namespace ClassifSae.Reporting.Compile;

/// <summary>
/// Upstream's compile_results outputs (spec 04 §6.6) for one run, built from the store: <c>concepts_metrics.json</c>
/// (row → method → value, indent 4, as Python's json.dump writes it) and <c>metrics_table.md</c> (three decimals,
/// <c>--</c> where a value is missing). Upstream requires all five methods and aborts otherwise; here a method that was
/// not run is <c>null</c> in the JSON and <c>--</c> in the table. No aggregation across seeds: one seed's newest values.
/// </summary>
public static class CompileResultsFiles
{
    public const string MetricsFile = "concepts_metrics.json";
    public const string TableFile = "metrics_table.md";

    /// <summary>The newest test-split values of (<paramref name="profile"/>, <paramref name="model"/>, <paramref name="dataset"/>, <paramref name="seed"/>).</summary>
    public static CompiledMetrics Read(ResultsStore store, string profile, string model, string dataset, long seed)
    {
        var rows = store.Query("""
            SELECT method, metric, value, k FROM latest_metrics
            WHERE class IS NULL AND ablation_pct IS NULL AND profile = $profile AND model = $model AND dataset = $dataset AND seed = $seed AND split = 'test' AND method IS NOT NULL
            """, new Dictionary<string, object?> { ["profile"] = profile, ["model"] = model, ["dataset"] = dataset, ["seed"] = seed }).Rows;
        // Several encoders may have recorded the similarity metrics: the first in name order is kept, deterministically.
        var byKey = new Dictionary<(string Method, string Metric), double>();
        // SentenceSim(k) is one metric with a k column in the store; upstream's file names each k.
        foreach (var r in rows)
            byKey.TryAdd(((string)r[0]!, r[3] is null or DBNull ? (string)r[1]! : $"{r[1]}_k{Convert.ToInt64(r[3], CultureInfo.InvariantCulture)}"),
                Convert.ToDouble(r[2], CultureInfo.InvariantCulture));
        var values = new Dictionary<(string, string), double?>();
        var sentenceSim = new Dictionary<string, double?[]>();
        foreach (var (key, display) in CompiledMetrics.Methods)
        {
            foreach (var row in CompiledMetrics.Rows)
                values[(row.Key, display)] = byKey.TryGetValue((key, row.Metric), out var v) ? v : null;
            sentenceSim[display] = Enumerable.Range(1, CompiledMetrics.SentenceSimPoints)
                .Select(k => byKey.TryGetValue((key, $"sentencesim_k{k}"), out var v) ? v : (double?)null).ToArray();
        }
        return new CompiledMetrics(model, dataset, values, sentenceSim);
    }

    /// <summary>Writes both files into <paramref name="folder"/> (created if needed), each atomically.</summary>
    public static void Write(CompiledMetrics metrics, string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, MetricsFile), MetricsJson(metrics));
        AtomicFile.WriteAllText(Path.Combine(folder, TableFile), MarkdownTable(metrics));
    }

    /// <summary><c>json.dump(..., indent=4, ensure_ascii=False)</c> of row → method → value.</summary>
    public static string MetricsJson(CompiledMetrics metrics)
    {
        var sb = new StringBuilder("{\n");
        for (var r = 0; r < CompiledMetrics.Rows.Count; r++)
        {
            var row = CompiledMetrics.Rows[r];
            sb.Append($"    \"{row.Key}\": {{\n");
            for (var m = 0; m < CompiledMetrics.Methods.Count; m++)
            {
                var display = CompiledMetrics.Methods[m].Display;
                sb.Append($"        \"{display}\": {PythonFloat(metrics.Values[(row.Key, display)])}");
                sb.Append(m < CompiledMetrics.Methods.Count - 1 ? ",\n" : "\n");
            }
            sb.Append(r < CompiledMetrics.Rows.Count - 1 ? "    },\n" : "    }\n");
        }
        return sb.Append('}').ToString();
    }

    /// <summary>Upstream's metrics_table.md: caption, anchor comment, one row per metric with %.3f values.</summary>
    public static string MarkdownTable(CompiledMetrics metrics)
    {
        var sb = new StringBuilder();
        sb.Append($"**Table.** Evaluation metrics for `{metrics.Model.Replace('_', '-')}` on `{metrics.Dataset.Replace('_', ' ')}`.\n\n");
        sb.Append($"<!-- tab:{metrics.Dataset}_metrics -->\n\n");
        sb.Append("| Metric | ").Append(string.Join(" | ", CompiledMetrics.Methods.Select(m => m.Display))).Append(" |\n");
        sb.Append("|:-------|").Append(string.Concat(CompiledMetrics.Methods.Select(_ => " ---: |"))).Append('\n');
        foreach (var row in CompiledMetrics.Rows)
        {
            var cells = CompiledMetrics.Methods.Select(m => metrics.Values[(row.Key, m.Display)] is { } v
                ? v.ToString("F3", CultureInfo.InvariantCulture) : "--");
            sb.Append($"| {row.Label} | ").Append(string.Join(" | ", cells)).Append(" |\n");
        }
        return sb.ToString();
    }

    /// <summary>Python's repr of a float (shortest round trip, "1e-05" style exponents, "1.0" for integers); null → null.</summary>
    public static string PythonFloat(double? value)
    {
        if (value is not { } v) return "null";
        if (double.IsNaN(v)) return "NaN";
        if (double.IsInfinity(v)) return v > 0 ? "Infinity" : "-Infinity";
        var digits = v.ToString("R", CultureInfo.InvariantCulture);     // shortest round trip, as Python's repr
        var e = digits.IndexOf('E');
        if (e >= 0)
        {
            var exponent = int.Parse(digits[(e + 1)..], CultureInfo.InvariantCulture);
            if (exponent < -4 || exponent >= 16) return $"{digits[..e]}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
            digits = decimal.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }
        else if (Math.Abs(v) >= 1e16)
        {
            // .NET writes large values out in full where Python switches to an exponent: d.ddd…e+XX from the same digits.
            var sign = v < 0 ? "-" : "";
            var whole = digits.TrimStart('-').Split('.')[0];
            var tail = whole[1..].TrimEnd('0');
            return $"{sign}{whole[0]}{(tail.Length > 0 ? "." + tail : "")}e+{whole.Length - 1:00}";
        }
        return digits.Contains('.') ? digits : digits + ".0";
    }
}

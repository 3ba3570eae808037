using System.Text;
using ClassifSae.Reporting.Svg;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>Per method, the distribution of the selected concepts' activation rates (concepts table, newest runs).</summary>
internal static class ActivationRateHistograms
{
    public static string Render(ResultsStore store)
    {
        var rows = store.Query("""
            SELECT c.method, c.activation_rate_pct, any_value(c.activation_rate_source) OVER (PARTITION BY c.method) AS source
            FROM concepts c JOIN latest_runs r USING (run_id)
            WHERE c.selected AND c.activation_rate_pct IS NOT NULL
            ORDER BY c.method
            """).Rows;
        var sb = new StringBuilder("<h2 id=\"activation-rates\">Activation rates of the selected concepts</h2>\n");
        if (rows.Count == 0)
        {
            sb.Append("<p>No per-concept activation rates recorded yet.</p>\n");
            return sb.ToString();
        }
        foreach (var group in rows.GroupBy(r => (string)r[0]!))
        {
            var rates = group.Select(r => Convert.ToDouble(r[1])).ToList();
            var bars = Bins(rates);
            var plot = new SvgPlot
            {
                Title = $"Activation rate per concept — {group.Key}", XLabel = "activation rate (%)", YLabel = "concepts", YFromZero = true,
                Series = [new SvgSeries($"{group.Key} ({rates.Count} concepts)", bars.Points, SvgSeriesKind.Bars, BarWidth: bars.Width)],
            };
            sb.Append(Html.Figure(plot.Render(),
                $"{group.Key}: {rates.Count} selected concepts over the newest runs; mean {Html.Num(rates.Average())} %, max {Html.Num(rates.Max())} %. Source: {group.First()[2]}."));
        }
        return sb.ToString();
    }

    /// <summary>Up to 20 equal bins from 0 to the largest rate.</summary>
    internal static (IReadOnlyList<(double X, double Y)> Points, double Width) Bins(IReadOnlyList<double> values)
    {
        var hi = Math.Max(values.Max(), 1e-9);
        var width = SvgPlot.Ticks(0, hi) is var t && t.Length > 1 ? (t[1] - t[0]) / 4 : hi / 20;
        var n = Math.Max(1, (int)Math.Ceiling(hi / width + 1e-9));
        var counts = new double[n];
        foreach (var v in values) counts[Math.Clamp((int)Math.Floor(v / width), 0, n - 1)]++;
        return (counts.Select((c, i) => (i * width, c)).ToList(), width);
    }
}

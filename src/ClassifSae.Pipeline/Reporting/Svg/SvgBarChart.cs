using System.Globalization;
using System.Net;
using System.Text;

namespace ClassifSae.Reporting.Svg;

/// <summary>
/// Grouped bars over named categories (methods × metrics, classes × shares, concepts), y from 0, with the value above
/// each bar; a missing value (null) leaves its slot empty rather than drawing 0. Same bytes for the same data.
/// </summary>
public sealed class SvgBarChart
{
    public sealed record Series(string Name, IReadOnlyList<double?> Values, string Color, IReadOnlyList<string>? BarColors = null);

    private const double Height = 360, Left = 64, Right = 16, Top = 36, Bottom = 64;

    public required string Title { get; init; }
    public required string YLabel { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public required IReadOnlyList<Series> Bars { get; init; }
    /// <summary>Legend entries drawn instead of the series names (e.g. the class colours of a single series).</summary>
    public IReadOnlyList<(string Name, string Color)>? Legend { get; init; }
    /// <summary>Print each bar's value above it (off for many narrow bars).</summary>
    public bool ValueLabels { get; init; } = true;

    public string Render()
    {
        var width = Math.Max(640, Left + Right + Categories.Count * Math.Max(14, 22 * Bars.Count));
        var values = Bars.SelectMany(b => b.Values).OfType<double>().Where(double.IsFinite).ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"plot\" role=\"img\" viewBox=\"0 0 {width} {Height}\" width=\"{width}\" height=\"{Height}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{Esc(Title)}</title><rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">{Esc(Title)}</text>");
        if (values.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#666\">no data</text></svg>");
            return sb.ToString();
        }
        var lo = Math.Min(0, values.Min());
        var hi = Math.Max(0, values.Max());
        if (hi - lo < 1e-12) hi = lo + 1;
        var ticks = SvgPlot.Ticks(lo, hi);
        (lo, hi) = (Math.Min(lo, ticks[0]), Math.Max(hi, ticks[^1]));
        double Py(double y) => Height - Bottom - (y - lo) / (hi - lo) * (Height - Top - Bottom);
        var slot = (width - Left - Right) / Categories.Count;
        var barWidth = slot * 0.8 / Bars.Count;

        sb.Append("<g font-size=\"11\" fill=\"#333\">");
        foreach (var t in ticks)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" y1=\"{F(Py(t))}\" x2=\"{F(width - Right)}\" y2=\"{F(Py(t))}\" stroke=\"#e5e7eb\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left - 6)}\" y=\"{F(Py(t) + 4)}\" text-anchor=\"end\">{ReportText.Number(t)}</text>");
        }
        var rotate = Categories.Count > 8;
        for (var c = 0; c < Categories.Count; c++)
        {
            var x = Left + (c + 0.5) * slot;
            sb.Append(rotate
                ? string.Create(CultureInfo.InvariantCulture, $"<text transform=\"translate({F(x + 3)} {F(Height - Bottom + 10)}) rotate(-60)\" text-anchor=\"end\" font-size=\"10\">{Esc(Categories[c])}</text>")
                : string.Create(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(Height - Bottom + 16)}\" text-anchor=\"middle\">{Esc(Categories[c])}</text>"));
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" y1=\"{F(Py(0))}\" x2=\"{F(width - Right)}\" y2=\"{F(Py(0))}\" stroke=\"#888\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(14 {F((Top + Height - Bottom) / 2)}) rotate(-90)\" text-anchor=\"middle\">{Esc(YLabel)}</text>");
        sb.Append("</g>");

        for (var b = 0; b < Bars.Count; b++)
            for (var c = 0; c < Categories.Count; c++)
            {
                if (c >= Bars[b].Values.Count || Bars[b].Values[c] is not { } v || !double.IsFinite(v)) continue;
                var x = Left + c * slot + slot * 0.1 + b * barWidth;
                var color = Bars[b].BarColors is { } colors && c < colors.Count ? colors[c] : Bars[b].Color;
                sb.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{F(x)}\" y=\"{F(Math.Min(Py(v), Py(0)))}\" width=\"{F(Math.Max(barWidth - 1, 1))}\" height=\"{F(Math.Abs(Py(0) - Py(v)))}\" fill=\"{color}\" fill-opacity=\"0.8\"><title>{Esc(Bars[b].Name)} · {Esc(Categories[c])}: {ReportText.Number(v)}</title></rect>");
                if (ValueLabels)
                    sb.Append(CultureInfo.InvariantCulture,
                        $"<text x=\"{F(x + barWidth / 2)}\" y=\"{F(Math.Min(Py(v), Py(0)) - 3)}\" text-anchor=\"middle\" font-size=\"9\" fill=\"#333\">{ReportText.Number(v)}</text>");
            }

        var legend = Legend ?? Bars.Select(b => (b.Name, b.Color)).ToList();
        var ly = Top + 12;
        foreach (var (name, color) in legend.Where(l => l.Name.Length > 0))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(width - Right - 150)}\" y=\"{F(ly - 9)}\" width=\"12\" height=\"10\" fill=\"{color}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(width - Right - 134)}\" y=\"{F(ly)}\" font-size=\"11\">{Esc(name)}</text>");
            ly += 15;
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}

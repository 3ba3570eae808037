using System.Globalization;
using System.Net;
using System.Text;

namespace ClassifSae.Reporting.Svg;

/// <summary>
/// A small, dependency-free SVG chart (axes with round ticks, line/marker/bar series, legend) to inline into the HTML
/// report: no fonts, scripts or links to fetch, and the same bytes for the same data.
/// </summary>
public sealed class SvgPlot
{
    public static readonly IReadOnlyList<string> Palette = ["#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A", "#19D3F3", "#FF6692", "#B6E880"];

    private const double Width = 640, Height = 360, Left = 64, Right = 16, Top = 36, Bottom = 48;

    public required string Title { get; init; }
    public required string XLabel { get; init; }
    public required string YLabel { get; init; }
    public IReadOnlyList<SvgSeries> Series { get; init; } = [];
    public bool LogY { get; init; }
    /// <summary>Include y = 0 in the axis (bars, rates).</summary>
    public bool YFromZero { get; init; }
    public bool EqualAspect { get; init; }

    public string Render()
    {
        var points = Series.SelectMany(s => s.Points.Select(p => (p.X, Y: Transform(p.Y)))
            .Concat(s.Kind == SvgSeriesKind.Bars ? s.Points.Select(p => (X: p.X + s.BarWidth, Y: Transform(p.Y))) : []))
            .Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"plot\" role=\"img\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{Esc(Title)}</title>");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">{Esc(Title)}</text>");
        if (points.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#666\">no data</text></svg>");
            return sb.ToString();
        }

        var (x0, x1) = Range(points.Select(p => p.X), false);
        var (y0, y1) = Range(points.Select(p => p.Y), YFromZero && !LogY);
        if (EqualAspect) (x0, x1, y0, y1) = Equalise(x0, x1, y0, y1);
        var xt = Ticks(x0, x1);
        var yt = Ticks(y0, y1);
        (x0, x1) = (Math.Min(x0, xt[0]), Math.Max(x1, xt[^1]));
        (y0, y1) = (Math.Min(y0, yt[0]), Math.Max(y1, yt[^1]));
        double Px(double x) => Left + (x - x0) / (x1 - x0) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - (y - y0) / (y1 - y0) * (Height - Top - Bottom);

        sb.Append("<g font-size=\"11\" fill=\"#333\">");
        foreach (var t in xt)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Px(t))}\" y1=\"{F(Top)}\" x2=\"{F(Px(t))}\" y2=\"{F(Height - Bottom)}\" stroke=\"#e5e7eb\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Px(t))}\" y=\"{F(Height - Bottom + 14)}\" text-anchor=\"middle\">{Tick(t)}</text>");
        }
        foreach (var t in yt)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" y1=\"{F(Py(t))}\" x2=\"{F(Width - Right)}\" y2=\"{F(Py(t))}\" stroke=\"#e5e7eb\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left - 6)}\" y=\"{F(Py(t) + 4)}\" text-anchor=\"end\">{(LogY ? "1e" + Tick(t) : Tick(t))}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(Width - Left - Right)}\" height=\"{F(Height - Top - Bottom)}\" fill=\"none\" stroke=\"#888\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F((Left + Width - Right) / 2)}\" y=\"{F(Height - 10)}\" text-anchor=\"middle\">{Esc(XLabel)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(14 {F((Top + Height - Bottom) / 2)}) rotate(-90)\" text-anchor=\"middle\">{Esc(YLabel + (LogY ? " (log scale)" : ""))}</text>");
        sb.Append("</g>");

        for (var i = 0; i < Series.Count; i++)
        {
            var s = Series[i];
            var color = s.Color ?? Palette[i % Palette.Count];
            var pts = s.Points.Select(p => (p.X, Y: Transform(p.Y))).ToList();
            var dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : "";
            if (s.Kind == SvgSeriesKind.Bars)
                foreach (var (x, y) in pts.Where(p => double.IsFinite(p.Y)))
                {
                    var top = Py(Math.Max(y, 0));
                    var h = Math.Abs(Py(0) - Py(y));
                    sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(Px(x) + 0.5)}\" y=\"{F(top)}\" width=\"{F(Math.Max(Px(x + s.BarWidth) - Px(x) - 1, 1))}\" height=\"{F(h)}\" fill=\"{color}\" fill-opacity=\"0.75\"/>");
                }
            if (s.Kind is SvgSeriesKind.Line or SvgSeriesKind.LineAndMarkers)
                foreach (var run in FiniteRuns(pts))
                    sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\"{dash} points=\"{string.Join(" ", run.Select(p => F(Px(p.X)) + "," + F(Py(p.Y))))}\"/>");
            if (s.Kind is SvgSeriesKind.Markers or SvgSeriesKind.LineAndMarkers)
                for (var j = 0; j < pts.Count; j++)
                {
                    var (x, y) = pts[j];
                    if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
                    sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(Px(x))}\" cy=\"{F(Py(y))}\" r=\"4\" fill=\"{color}\" fill-opacity=\"{(s.Dashed ? "0.35" : "0.9")}\" stroke=\"#fff\"/>");
                    if (s.PointLabels is { } labels && j < labels.Count)
                        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Px(x) + 6)}\" y=\"{F(Py(y) - 5)}\" font-size=\"10\" fill=\"#333\">{Esc(labels[j])}</text>");
                }
        }

        var lx = Left + 8;
        var ly = Top + 14;
        foreach (var (s, i) in Series.Select((s, i) => (s, i)).Where(p => !string.IsNullOrEmpty(p.s.Name)))
        {
            var color = s.Color ?? Palette[i % Palette.Count];
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(lx)}\" y1=\"{F(ly - 4)}\" x2=\"{F(lx + 18)}\" y2=\"{F(ly - 4)}\" stroke=\"{color}\" stroke-width=\"3\"{(s.Dashed ? " stroke-dasharray=\"4 3\"" : "")}/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(lx + 24)}\" y=\"{F(ly)}\" font-size=\"11\">{Esc(s.Name)}</text>");
            ly += 15;
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private double Transform(double y) => LogY ? (y > 0 ? Math.Log10(y) : double.NaN) : y;

    private static IEnumerable<List<(double X, double Y)>> FiniteRuns(List<(double X, double Y)> pts)
    {
        var run = new List<(double X, double Y)>();
        foreach (var p in pts)
        {
            if (double.IsFinite(p.X) && double.IsFinite(p.Y)) { run.Add(p); continue; }
            if (run.Count > 0) yield return run;
            run = [];
        }
        if (run.Count > 0) yield return run;
    }

    private static (double, double) Range(IEnumerable<double> values, bool fromZero)
    {
        var list = values.ToList();
        var lo = list.Min();
        var hi = list.Max();
        if (fromZero) { lo = Math.Min(lo, 0); hi = Math.Max(hi, 0); }
        if (hi - lo < 1e-12) { var pad = Math.Abs(hi) > 0 ? Math.Abs(hi) * 0.1 : 1; lo -= pad; hi += pad; }
        return (lo, hi);
    }

    private static (double, double, double, double) Equalise(double x0, double x1, double y0, double y1)
    {
        var span = Math.Max(x1 - x0, y1 - y0) * 1.1;
        double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        return (cx - span / 2, cx + span / 2, cy - span / 2, cy + span / 2);
    }

    /// <summary>About five ticks at 1, 2 or 5 × 10^k spacing covering [lo, hi].</summary>
    internal static double[] Ticks(double lo, double hi)
    {
        var raw = (hi - lo) / 5;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 5, 10 }.Select(m => m * mag).First(s => s >= raw);
        var first = Math.Floor(lo / step) * step;
        var ticks = new List<double>();
        for (var t = first; t <= hi + step * 1e-9; t += step) ticks.Add(Math.Round(t / step) * step);
        if (ticks[^1] < hi) ticks.Add(ticks[^1] + step);
        return [.. ticks];
    }

    private static string Tick(double v) => Math.Abs(v) < 1e-12 ? "0" : v.ToString("G4", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}

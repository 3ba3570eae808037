using System.Globalization;
using System.Net;
using System.Text;

namespace ClassifSae.Reporting.Svg;

/// <summary>A confusion matrix as a grid of cells shaded by the share of the row (true class), with the count in each cell.</summary>
public sealed class SvgHeatmap
{
    public required string Title { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>[true class][predicted class] counts.</summary>
    public required IReadOnlyList<IReadOnlyList<long>> Counts { get; init; }

    public string Render()
    {
        var n = Labels.Count;
        const double cell = 56, left = 110, top = 48;
        double width = left + n * cell + 20, height = top + n * cell + 56;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"plot heatmap\" role=\"img\" viewBox=\"0 0 {F(width)} {F(height)}\" width=\"{F(width)}\" height=\"{F(height)}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{Esc(Title)}</title><rect x=\"0\" y=\"0\" width=\"{F(width)}\" height=\"{F(height)}\" fill=\"#ffffff\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(width / 2)}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\">{Esc(Title)}</text>");
        for (var t = 0; t < n; t++)
        {
            var total = Math.Max(1, Counts[t].Sum());
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left - 6)}\" y=\"{F(top + t * cell + cell / 2 + 4)}\" text-anchor=\"end\" font-size=\"11\">{Esc(Short(Labels[t]))}</text>");
            for (var p = 0; p < n; p++)
            {
                var share = (double)Counts[t][p] / total;
                var shade = (int)Math.Round(255 - share * 200);
                var fill = string.Create(CultureInfo.InvariantCulture, $"rgb({shade},{shade},255)");
                sb.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{F(left + p * cell)}\" y=\"{F(top + t * cell)}\" width=\"{F(cell - 1)}\" height=\"{F(cell - 1)}\" fill=\"{fill}\"><title>true {Esc(Labels[t])}, predicted {Esc(Labels[p])}: {Counts[t][p]} ({ReportText.Number(100 * share)} % of the row)</title></rect>");
                sb.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{F(left + p * cell + cell / 2)}\" y=\"{F(top + t * cell + cell / 2 + 4)}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{(share > 0.6 ? "#fff" : "#111")}\">{Counts[t][p]}</text>");
            }
        }
        for (var p = 0; p < n; p++)
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + p * cell + cell / 2)}\" y=\"{F(top + n * cell + 14)}\" text-anchor=\"middle\" font-size=\"11\">{Esc(Short(Labels[p]))}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + n * cell / 2)}\" y=\"{F(top + n * cell + 36)}\" text-anchor=\"middle\" font-size=\"11\">predicted class (rows: true class)</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Short(string s) => s.Length > 14 ? s[..13] + "…" : s;

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}

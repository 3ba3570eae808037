using System.Globalization;
using System.Text;

namespace ClassifSae.Reporting;

/// <summary>
/// A concept card's small activation histogram: one bar per bin, heights on a log scale (a sparse concept's inactive
/// sentences would otherwise flatten every other bar), each bar titled with its range and count, the value range below.
/// </summary>
internal static class ConceptHistogramSvg
{
    public sealed record Bin(double Lower, double Upper, int Sentences);

    private const int Width = 300, Height = 64, Axis = 14;

    public static string Render(IReadOnlyList<Bin> bins)
    {
        var total = bins.Sum(b => b.Sentences);
        var tallest = Math.Log10(1 + bins.Max(b => b.Sentences));
        var barWidth = (double)Width / bins.Count;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"activation-histogram\" data-sentences=\"{total}\" data-bins=\"{bins.Count}\" viewBox=\"0 0 {Width} {Height + Axis}\" width=\"{Width}\" height=\"{Height + Axis}\" role=\"img\" aria-label=\"activation histogram over {total} test sentences\">");
        for (var i = 0; i < bins.Count; i++)
        {
            var b = bins[i];
            var h = tallest <= 0 ? 0 : Height * Math.Log10(1 + b.Sentences) / tallest;
            sb.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{i * barWidth + 0.5:0.##}\" y=\"{Height - h:0.##}\" width=\"{Math.Max(barWidth - 1, 0.5):0.##}\" height=\"{h:0.##}\" fill=\"#636EFA\">" +
                $"<title>{Html.Num(b.Lower)} to {Html.Num(b.Upper)}: {b.Sentences} sentences</title></rect>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{Height}\" x2=\"{Width}\" y2=\"{Height}\" stroke=\"#57606a\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{Height + Axis - 2}\" font-size=\"10\" fill=\"#57606a\">{Html.Num(bins[0].Lower)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width}\" y=\"{Height + Axis - 2}\" font-size=\"10\" fill=\"#57606a\" text-anchor=\"end\">{Html.Num(bins[^1].Upper)}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }
}

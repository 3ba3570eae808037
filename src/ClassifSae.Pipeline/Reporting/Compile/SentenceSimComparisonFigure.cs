using ClassifSae.Formats;
using ScottPlot;

namespace ClassifSae.Reporting.Compile;

/// <summary>
/// Upstream's <c>SentenceSim_comparison</c> figure (spec 04 §6.6): per method a line (width 2) with markers cycling
/// o s ^ d p v X *, x = k = 1…4 common top-p concepts, y = SentenceSim(k). Written as SVG and PNG (upstream writes a PDF,
/// which ScottPlot does not); a method without values is left out, a missing k breaks its line.
/// </summary>
public static class SentenceSimComparisonFigure
{
    public const string FileStem = "SentenceSim_comparison";

    private static readonly MarkerShape[] Markers =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.Asterisk, MarkerShape.FilledTriangleDown, MarkerShape.Cross, MarkerShape.Eks,
    ];

    /// <returns>the files written (none when no method has a SentenceSim value)</returns>
    public static IReadOnlyList<string> Write(CompiledMetrics metrics, string folder)
    {
        var series = SeriesOf(metrics);
        if (series.Count == 0) return [];
        var plot = new Plot();
        for (var m = 0; m < series.Count; m++)
        {
            var (method, points) = series[m];
            var colour = plot.Add.Palette.GetColor(m);
            var scatter = plot.Add.Scatter(points.Select(p => (double)p.K).ToArray(), points.Select(p => p.Value).ToArray(), colour);
            scatter.LineWidth = 2;
            scatter.MarkerShape = Markers[m % Markers.Length];
            scatter.MarkerSize = 9;
            scatter.LegendText = method;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(1, CompiledMetrics.SentenceSimPoints).Select(k => (double)k).ToArray(),
            Enumerable.Range(1, CompiledMetrics.SentenceSimPoints).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Grid.MajorLinePattern = LinePattern.Dashed;
        plot.XLabel("k common top-p concepts");
        plot.YLabel("SentenceSim(k)");
        plot.ShowLegend(Alignment.UpperCenter, Orientation.Horizontal);
        Directory.CreateDirectory(folder);
        var svg = Path.Combine(folder, FileStem + ".svg");
        var png = Path.Combine(folder, FileStem + ".png");
        AtomicFile.WriteAllText(svg, plot.GetSvgXml(660, 450));
        var bytes = plot.GetImageBytes(660, 450, ImageFormat.Png);
        AtomicFile.Write(png, s => s.Write(bytes));
        return [svg, png];
    }

    /// <summary>Each method with at least one value, in upstream's column order, and its (k, SentenceSim(k)) points.</summary>
    public static IReadOnlyList<(string Method, IReadOnlyList<(int K, double Value)> Points)> SeriesOf(CompiledMetrics metrics) =>
        CompiledMetrics.Methods
            .Select(m => (m.Display, Points: (IReadOnlyList<(int K, double Value)>)metrics.SentenceSim[m.Display]
                .Select((v, i) => (K: i + 1, Value: v))
                .Where(p => p.Value is not null).Select(p => (p.K, p.Value!.Value)).ToList()))
            .Where(s => s.Points.Count > 0)
            .ToList();
}

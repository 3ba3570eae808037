using ClassifSae.Formats;
using ScottPlot;

namespace ClassifSae.Reporting;

/// <summary>
/// <c>pca_figures/2D_PCA_SAE_directions.{svg,png}</c>: each live concept direction as a marker coloured by its segment
/// class, sized by its mean activation, and the class prototypes as orange triangles (spec 02 §4.5, with markers
/// instead of the original's per-feature pie charts; the colours are the original's).
/// </summary>
public static class PcaFigure
{
    public const string FileStem = "2D_PCA_SAE_directions";
    public static readonly string[] ClassColours = ["#636EFA", "#EF553B", "#00CC96", "#3D2B1F", "#AB63FA", "#FFA15A"];

    public sealed record Concept(int Index, double X, double Y, int? SegmentClass, double MeanActivation);

    /// <returns>the two files written</returns>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<Concept> concepts, double[][] prototypes, IReadOnlyList<string> classNames, string title)
    {
        var plot = new Plot();
        var maxSize = concepts.Count == 0 ? 1 : Math.Max(1e-12, concepts.Max(c => c.MeanActivation));
        foreach (var group in concepts.GroupBy(c => c.SegmentClass).OrderBy(g => g.Key ?? int.MaxValue))
        {
            var colour = group.Key is { } c ? Color.FromHex(ClassColours[c % ClassColours.Length]) : Colors.Gray;
            var first = true;
            foreach (var concept in group)
            {
                var marker = plot.Add.Marker(concept.X, concept.Y, MarkerShape.FilledCircle, (float)(6 + 18 * Math.Sqrt(concept.MeanActivation / maxSize)), colour);
                if (first) marker.LegendText = group.Key is { } k ? $"segment {classNames[k]}" : "unsegmented";
                first = false;
                var label = plot.Add.Text($"#{concept.Index}", concept.X, concept.Y);
                label.LabelFontSize = 9;
                label.LabelFontColor = Colors.Black.WithAlpha(0.7);
            }
        }
        for (var c = 0; c < prototypes.Length; c++)
        {
            if (double.IsNaN(prototypes[c][0])) continue;
            plot.Add.Marker(prototypes[c][0], prototypes[c][1], MarkerShape.FilledTriangleUp, 16, Colors.Orange);
            var name = plot.Add.Text(classNames[c], prototypes[c][0], prototypes[c][1]);
            name.LabelBold = true;
            name.LabelBorderColor = Colors.Black;
            name.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
        }
        plot.Add.HorizontalLine(0, color: Colors.Gray);
        plot.Add.VerticalLine(0, color: Colors.Gray);
        plot.Title(title);
        plot.XLabel("PCA component 1");
        plot.YLabel("PCA component 2");
        plot.Axes.SquareUnits();
        plot.ShowLegend();
        var svg = Path.Combine(folder, FileStem + ".svg");
        var png = Path.Combine(folder, FileStem + ".png");
        AtomicFile.WriteAllText(svg, plot.GetSvgXml(800, 800));
        var bytes = plot.GetImageBytes(800, 800, ImageFormat.Png);
        AtomicFile.Write(png, s => s.Write(bytes));
        return [svg, png];
    }
}

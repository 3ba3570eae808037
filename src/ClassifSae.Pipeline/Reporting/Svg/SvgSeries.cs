namespace ClassifSae.Reporting.Svg;

/// <summary>How a series is drawn.</summary>
public enum SvgSeriesKind { Line, Markers, LineAndMarkers, Bars }

/// <summary>One named series of (x, y) points; for <see cref="SvgSeriesKind.Bars"/> x is the bar's left edge and <paramref name="BarWidth"/> its width.</summary>
public sealed record SvgSeries(string Name, IReadOnlyList<(double X, double Y)> Points, SvgSeriesKind Kind = SvgSeriesKind.Line,
    string? Color = null, bool Dashed = false, double BarWidth = 0, IReadOnlyList<string>? PointLabels = null);

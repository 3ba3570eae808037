using System.Text.RegularExpressions;
using ClassifSae.Reporting.Compile;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>compile_results' SentenceSim_comparison figure (spec 04 §6.6): which methods and points it draws, and its files.</summary>
public sealed class SentenceSimComparisonFigureTests
{
    private static CompiledMetrics Metrics(params (string Method, double?[] Values)[] series)
    {
        var sims = CompiledMetrics.Methods.ToDictionary(m => m.Display, _ => new double?[CompiledMetrics.SentenceSimPoints]);
        foreach (var (method, values) in series) sims[method] = values;
        return new CompiledMetrics("tiny-neox", "planted", new Dictionary<(string, string), double?>(), sims);
    }

    [Fact]
    public void Methods_with_values_are_drawn_in_upstreams_column_order_and_a_missing_k_is_skipped()
    {
        var metrics = Metrics(("ClassifSAE", [0.5, 0.25, null, 0.125]), ("SAE", [0.75, 0.5, 0.375, 0.25]));
        var series = SentenceSimComparisonFigure.SeriesOf(metrics);
        Assert.Equal(["SAE", "ClassifSAE"], series.Select(s => s.Method));
        Assert.Equal([(1, 0.75), (2, 0.5), (3, 0.375), (4, 0.25)], series[0].Points);
        Assert.Equal([(1, 0.5), (2, 0.25), (4, 0.125)], series[1].Points);
    }

    [Fact]
    public void The_figure_is_written_as_svg_and_png_with_a_legend_entry_per_drawn_method()
    {
        using var dir = new TempFolder();
        var files = SentenceSimComparisonFigure.Write(Metrics(("ClassifSAE", [0.5, 0.25, 0.2, 0.125]), ("HIConcept", [0.1, 0.1, 0.1, 0.1])), dir.Path);
        Assert.Equal(2, files.Count);
        var svg = File.ReadAllText(Path.Combine(dir.Path, "SentenceSim_comparison.svg"));
        // Skia writes each label as a <text> element holding the string.
        bool Label(string text) => Regex.IsMatch(svg, $@">\s*{Regex.Escape(text)}\s*<");
        Assert.True(Label("ClassifSAE") && Label("HIConcept") && Label("SentenceSim(k)"));
        Assert.False(Label("ICA") || Label("SAE"));
        var png = File.ReadAllBytes(Path.Combine(dir.Path, "SentenceSim_comparison.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        // IHDR width and height, big-endian at bytes 16-23.
        Assert.Equal(660, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
        Assert.Equal(450, (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);
    }

    [Fact]
    public void No_values_no_figure()
    {
        using var dir = new TempFolder();
        Assert.Empty(SentenceSimComparisonFigure.Write(Metrics(), dir.Path));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}

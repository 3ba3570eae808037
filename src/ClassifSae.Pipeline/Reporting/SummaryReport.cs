using ClassifSae.Formats;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>Where <see cref="SummaryReport.Write"/> put the report.</summary>
/// <param name="ConceptsPath">The concept browser, concepts.html, beside summary.html.</param>
public sealed record SummaryReportFiles(string MarkdownPath, string HtmlPath, string ConceptsPath);

/// <summary>The Report stage's output: summary.md, summary.html and the concept browser concepts.html, built from the results store only.</summary>
public static class SummaryReport
{
    public const string Title = "ClassifSAE results summary";

    /// <summary>Writes both files atomically into <paramref name="outputFolder"/> (created if needed).</summary>
    /// <param name="runsDir">the runs folder, where the concept cards of upstream-2026 runs are read for their word clouds (null: none)</param>
    public static SummaryReportFiles Write(ResultsStore store, string outputFolder, string? runsDir = null)
    {
        var markdown = SummaryMarkdownBuilder.Build(store);
        var html = HtmlReport.Build(store, markdown, Title);
        var files = new SummaryReportFiles(Path.Combine(outputFolder, "summary.md"), Path.Combine(outputFolder, "summary.html"),
            Path.Combine(outputFolder, ConceptBrowser.FileName));
        AtomicFile.WriteAllText(files.MarkdownPath, markdown);
        var cards = runsDir is null ? null : ConceptCardImages.Write(store, runsDir, outputFolder);
        AtomicFile.WriteAllText(files.ConceptsPath, ConceptBrowser.Build(store, cards));
        AtomicFile.WriteAllText(files.HtmlPath, html);
        return files;
    }
}

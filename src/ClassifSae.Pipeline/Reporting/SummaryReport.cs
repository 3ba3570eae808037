using ClassifSae.Formats;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>Where <see cref="SummaryReport.Write"/> put the report.</summary>
public sealed record SummaryReportFiles(string MarkdownPath, string HtmlPath);

/// <summary>The Report stage's output: summary.md and summary.html, built from the results store only.</summary>
public static class SummaryReport
{
    public const string Title = "ClassifSAE results summary";

    /// <summary>Writes both files atomically into <paramref name="outputFolder"/> (created if needed).</summary>
    /// <param name="runsFolder">What the store's relative paths are relative to (the pipeline's runs folder); null = the current folder.</param>
    public static SummaryReportFiles Write(ResultsStore store, string outputFolder, string? runsFolder = null)
    {
        var markdown = SummaryMarkdownBuilder.Build(store);
        var html = HtmlReport.Build(store, markdown, Title, runsFolder);
        var files = new SummaryReportFiles(Path.Combine(outputFolder, "summary.md"), Path.Combine(outputFolder, "summary.html"));
        AtomicFile.WriteAllText(files.MarkdownPath, markdown);
        AtomicFile.WriteAllText(files.HtmlPath, html);
        return files;
    }
}

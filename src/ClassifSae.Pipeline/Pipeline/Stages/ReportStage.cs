using ClassifSae.Reporting;
using ClassifSae.Results;

namespace ClassifSae.Pipeline.Stages;

/// <summary>Report: reads only the results store and writes the Markdown and HTML summaries.</summary>
public static class ReportStage
{
    public static string OutputDir(RunContext ctx) => Path.Combine(ctx.RunsDir, ctx.Profile.Name, "report");

    public static SummaryReportFiles Run(RunContext ctx)
    {
        if (!File.Exists(ctx.StorePath)) throw new UserError($"{ctx.StorePath}: no results store yet (run the pipeline stages first)");
        using var store = ResultsStore.Open(ctx.StorePath);
        var files = SummaryReport.Write(store, OutputDir(ctx));
        ctx.Log($"report written: {files.MarkdownPath}, {files.HtmlPath} and the concept browser {files.ConceptsPath}");
        return files;
    }
}

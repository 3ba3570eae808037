using ClassifSae.Reporting;
using ClassifSae.Reporting.Compile;
using ClassifSae.Results;

namespace ClassifSae.Pipeline.Stages;

/// <summary>Report: reads only the results store and writes the Markdown and HTML summaries and upstream's compile_results tables.</summary>
public static class ReportStage
{
    public static string OutputDir(RunContext ctx) => Path.Combine(ctx.RunsDir, ctx.Profile.Name, "report");

    public static SummaryReportFiles Run(RunContext ctx)
    {
        if (!File.Exists(ctx.StorePath)) throw new UserError($"{ctx.StorePath}: no results store yet (run the pipeline stages first)");
        using var store = ResultsStore.Open(ctx.StorePath);
        var files = SummaryReport.Write(store, OutputDir(ctx), ctx.RunsDir);
        ctx.Log($"report written: {files.MarkdownPath}, {files.HtmlPath} and the concept browser {files.ConceptsPath}");
        // Upstream's compile_results tables (spec 04 §6.6) for the upstream-2026 runs.
        var compiled = CompileResultsReport.Write(store, OutputDir(ctx));
        if (compiled.Count > 0) ctx.Log($"compile_results tables of {compiled.Count} upstream-2026 run(s) under {Path.Combine(OutputDir(ctx), CompileResultsReport.Folder)}");
        return files;
    }
}

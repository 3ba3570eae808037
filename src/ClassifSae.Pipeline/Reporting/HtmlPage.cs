using System.Net;
using Markdig;

namespace ClassifSae.Reporting;

/// <summary>Turns report Markdown into one self-contained HTML page (inline CSS, no scripts, fonts or links to fetch).</summary>
public static class HtmlPage
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1f2328; line-height: 1.45; }
        h1, h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
        th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; }
        th { background: #f6f8fa; }
        tr:nth-child(even) td { background: #fbfcfd; }
        td, th { font-variant-numeric: tabular-nums; }
        code { background: #f6f8fa; padding: .1rem .3rem; border-radius: 4px; }
        figure { margin: 1rem 0; }
        figcaption { font-size: .85rem; color: #57606a; max-width: 640px; }
        svg.plot { max-width: 100%; height: auto; border: 1px solid #d0d7de; }
        nav.toc { background: #f6f8fa; padding: .5rem 1rem; border-radius: 6px; }
        section.concept { border-top: 1px dashed #d0d7de; margin-top: 1.5rem; }
        div.grid { display: flex; flex-wrap: wrap; gap: .5rem; }
        """;

    public static string FromMarkdown(string markdown, string title) => Wrap(ToHtml(markdown), title);

    /// <summary>The Markdown as an HTML fragment (tables, headings; raw HTML in the Markdown is kept).</summary>
    public static string ToHtml(string markdown) => Markdown.ToHtml(markdown, Pipeline);

    /// <summary>Wraps an HTML fragment into a complete page with the report's inline style sheet (plus <paramref name="css"/>), and
    /// <paramref name="script"/> inline at the end of the body when given (the concept browser's filter; the report has none).</summary>
    public static string Wrap(string body, string title, string css = "", string? script = null)
    {
        var tail = script is null ? "" : $"<script>\n{script}</script>\n";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)}</title>
            <style>
            {Css}
            {css}
            </style>
            </head>
            <body>
            <main>
            {body}</main>
            {tail}</body>
            </html>

            """;
    }
}

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ClassifSae.Reporting;

/// <summary>Small helpers for the hand-written parts of the HTML report.</summary>
internal static partial class Html
{
    public static string Esc(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Num(double? value) => value is { } v ? ReportText.Number(v) : ReportText.Missing;

    /// <summary>A fragment identifier made of [a-z0-9-] only.</summary>
    public static string Anchor(params object?[] parts) =>
        NonWord().Replace(string.Join("-", parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture) ?? "")).ToLowerInvariant(), "-").Trim('-');

    /// <param name="id">A fragment identifier (data-chart) so a test or a link can find the figure; null for none.</param>
    public static string Figure(string svg, string caption, string? id = null) =>
        $"<figure{(id is null ? "" : $" data-chart=\"{id}\"")}>{svg}<figcaption>{Esc(caption)}</figcaption></figure>\n";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();
}

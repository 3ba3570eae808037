using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ClassifSae.Reporting;

/// <summary>Small helpers for the hand-written parts of the HTML report.</summary>
internal static partial class Html
{
    public static string Esc(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Num(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : ReportText.Missing;

    /// <summary>A fragment identifier made of [a-z0-9-] only.</summary>
    public static string Anchor(params object?[] parts) =>
        NonWord().Replace(string.Join("-", parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture) ?? "")).ToLowerInvariant(), "-").Trim('-');

    public static string Figure(string svg, string caption) => $"<figure>{svg}<figcaption>{Esc(caption)}</figcaption></figure>\n";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();
}

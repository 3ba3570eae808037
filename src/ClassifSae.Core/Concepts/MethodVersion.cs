using System.Text.Json.Serialization;

namespace ClassifSae.Concepts;

/// <summary>
/// Which version of the original's method a run follows (spec 04): the paper's code (d5286e9) or the authors' current
/// code (bc50f40). The default, <see cref="Paper2025"/>, keeps every paper-version number as it was.
/// </summary>
public enum MethodVersion
{
    [JsonStringEnumMemberName("paper-2025")] Paper2025,
    [JsonStringEnumMemberName("upstream-2026")] Upstream2026,
}

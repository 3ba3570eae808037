namespace ClassifSae.Settings;

/// <summary>
/// Which version of the method a run reproduces (the profile's top-level <c>method_version</c>): the paper's code
/// (d5286e9, spec 01/02) or the authors' current code (bc50f40, spec 04). The paper's is the default, so runs that
/// do not name a version keep their numbers.
/// </summary>
public static class MethodVersion
{
    public const string Paper2025 = "paper-2025";
    public const string Upstream2026 = "upstream-2026";

    public static IReadOnlyList<string> All { get; } = [Paper2025, Upstream2026];

    /// <summary>True for the current upstream method (spec 04); throws on an unknown name (profiles are checked before).</summary>
    public static bool IsUpstream(string version) => version switch
    {
        Paper2025 => false,
        Upstream2026 => true,
        _ => throw new ArgumentException($"method_version = '{version}' must be one of {string.Join(", ", All.Select(v => $"'{v}'"))}"),
    };
}

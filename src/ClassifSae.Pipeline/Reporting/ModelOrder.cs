using System.Globalization;
using System.Text.RegularExpressions;

namespace ClassifSae.Reporting;

/// <summary>Orders model names by the size in their name (pythia-70m before pythia-1b), then by name.</summary>
internal sealed partial class ModelOrder : IComparer<string>
{
    public static readonly ModelOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        var c = Size(x).CompareTo(Size(y));
        return c != 0 ? c : string.CompareOrdinal(x, y);
    }

    /// <summary>70m → 7e7, 1b → 1e9, 6B → 6e9; names without a size sort first.</summary>
    private static double Size(string? name)
    {
        var m = SizeSuffix().Match(name ?? "");
        if (!m.Success) return 0;
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return char.ToLowerInvariant(m.Groups[2].Value[0]) switch { 'k' => n * 1e3, 'm' => n * 1e6, 'b' => n * 1e9, _ => n * 1e12 };
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)([kmbtKMBT])(?![a-zA-Z])")]
    private static partial Regex SizeSuffix();
}

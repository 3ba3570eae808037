using System.Collections;
using System.Globalization;

namespace ClassifSae.Results;

/// <summary>Culture-independent text for a query cell, shared by the text, CSV and Markdown formatters.</summary>
internal static class CellText
{
    /// <summary>Shortest round-trip text for numbers, ISO-like UTC timestamps, [a, b] for lists; null stays null.</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(x => Format(x) ?? "NULL")) + "]",
        var other => other.ToString(),
    };

    /// <summary>Numbers are right-aligned in text tables.</summary>
    public static bool IsNumeric(object? value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal
            or System.Numerics.BigInteger or Int128 or UInt128;
}

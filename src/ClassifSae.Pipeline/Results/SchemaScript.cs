using System.Reflection;
using System.Text.RegularExpressions;

namespace ClassifSae.Results;

/// <summary>
/// The embedded results-db/schema.sql, split at its "-- @views" marker into table DDL
/// (run once on a new store) and view DDL (re-run after every migration).
/// </summary>
internal static partial class SchemaScript
{
    public const string ResourceName = "ClassifSae.Results.schema.sql";
    private const string ViewsMarker = "-- @views";

    private static readonly Lazy<string> Text = new(Load);

    public static string Full => Text.Value;

    /// <summary>The version written on the file's first line ("-- schema-version: N").</summary>
    public static int DeclaredVersion
    {
        get
        {
            var m = VersionLine().Match(Full);
            if (!m.Success) throw new InvalidDataException($"Embedded {ResourceName} has no '-- schema-version: N' line.");
            return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public static string Tables => Full[..MarkerIndex()];

    public static string Views => Full[MarkerIndex()..];

    /// <summary>View names in definition order; dropped in reverse order before a migration.</summary>
    public static IReadOnlyList<string> ViewNames =>
        ViewName().Matches(Views).Select(m => m.Groups[1].Value).ToList();

    private static int MarkerIndex()
    {
        var i = Full.IndexOf(ViewsMarker, StringComparison.Ordinal);
        if (i < 0) throw new InvalidDataException($"Embedded {ResourceName} has no '{ViewsMarker}' marker.");
        return i;
    }

    private static string Load()
    {
        using var s = typeof(SchemaScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Resource {ResourceName} is not embedded in {typeof(SchemaScript).Assembly.GetName().Name}.");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    [GeneratedRegex(@"^--\s*schema-version:\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"CREATE\s+OR\s+REPLACE\s+VIEW\s+(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex ViewName();
}

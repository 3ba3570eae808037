using System.Globalization;
using System.Text.RegularExpressions;

namespace ClassifSae.Results;

/// <summary>A metric's name and what it is measured for: a class, a share of a class segment ablated, the k of SentenceSim(k).</summary>
public sealed record MetricKey(string Metric, int? Class = null, int? AblationPct = null, int? K = null);

/// <summary>
/// Splits the packed names older builds (and the original's files) use — <c>category2_label_flip_75pct</c>,
/// <c>global_tvd_50pct</c>, <c>reconstruction_f1-score_3</c>, <c>sentencesim_k2</c> — into a name and columns.
/// <see cref="Split"/> (rows written now) and <see cref="SqlColumns"/> (the schema-6 migration and the published
/// numbers) apply the same four patterns, so old and new rows land on the same keys.
/// </summary>
public static partial class MetricNames
{
    private const string Category = "^category([0-9]+)_(acc_change|tvd|label_flip)_([0-9]+)pct$";
    private const string Global = "^global_(acc_change|tvd|label_flip)_([0-9]+)pct$";
    private const string PerClass = "^reconstruction_(recall|precision|f1-score)_([0-9]+)$";
    private const string SentenceSim = "^sentencesim_k([0-9]+)$";

    public static MetricKey Split(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (CategoryRx().Match(name) is { Success: true } c)
            return new($"category_{c.Groups[2].Value}", Class: Int(c.Groups[1]), AblationPct: Int(c.Groups[3]));
        if (GlobalRx().Match(name) is { Success: true } g)
            return new($"global_{g.Groups[1].Value}", AblationPct: Int(g.Groups[2]));
        if (PerClassRx().Match(name) is { Success: true } p)
            return new($"reconstruction_{p.Groups[1].Value.Replace('-', '_')}", Class: Int(p.Groups[2]));
        if (SentenceSimRx().Match(name) is { Success: true } s)
            return new("sentencesim", K: Int(s.Groups[1]));
        return new(name);
    }

    /// <summary>DuckDB expressions over the text column <paramref name="column"/>: the split name, class, ablation_pct and k.</summary>
    public static (string Metric, string Class, string AblationPct, string K) SqlColumns(string column)
    {
        string Matches(string rx) => $"regexp_matches({column}, '{rx}')";
        string Group(string rx, int g) => $"CAST(regexp_extract({column}, '{rx}', {g}) AS INTEGER)";
        var metric = $"""
            CASE WHEN {Matches(Category)} THEN 'category_' || regexp_extract({column}, '{Category}', 2)
                 WHEN {Matches(Global)} THEN 'global_' || regexp_extract({column}, '{Global}', 1)
                 WHEN {Matches(PerClass)} THEN 'reconstruction_' || replace(regexp_extract({column}, '{PerClass}', 1), '-', '_')
                 WHEN {Matches(SentenceSim)} THEN 'sentencesim'
                 ELSE {column} END
            """;
        var cls = $"CASE WHEN {Matches(Category)} THEN {Group(Category, 1)} WHEN {Matches(PerClass)} THEN {Group(PerClass, 2)} END";
        var pct = $"CASE WHEN {Matches(Category)} THEN {Group(Category, 3)} WHEN {Matches(Global)} THEN {Group(Global, 2)} END";
        var k = $"CASE WHEN {Matches(SentenceSim)} THEN {Group(SentenceSim, 1)} END";
        return (metric, cls, pct, k);
    }

    private static int Int(Group g) => int.Parse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(Category)] private static partial Regex CategoryRx();
    [GeneratedRegex(Global)] private static partial Regex GlobalRx();
    [GeneratedRegex(PerClass)] private static partial Regex PerClassRx();
    [GeneratedRegex(SentenceSim)] private static partial Regex SentenceSimRx();
}

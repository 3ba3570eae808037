using System.Globalization;
using System.Text;

namespace ClassifSae.Benchmarks.Profiling;

/// <summary>Where a case's time went: sample shares per kind of work (<see cref="OpCategory"/>) and the top functions.</summary>
public sealed record OpProfile(string CaseName, int Samples, IReadOnlyList<(string Category, double Percent)> Categories,
    IReadOnlyList<PerfSymbolShare> TopSymbols)
{
    private const int TopCount = 15;

    public static OpProfile From(string caseName, int samples, IReadOnlyList<PerfSymbolShare> shares)
    {
        var total = shares.Sum(s => s.Percent);
        if (total <= 0) throw new InvalidOperationException($"perf recorded no samples for {caseName}");
        var categories = shares
            .GroupBy(s => OpCategory.Classify(s.Library, s.Symbol))
            .Select(g => (Category: g.Key, Percent: 100 * g.Sum(s => s.Percent) / total))
            .OrderByDescending(c => c.Percent)
            .ToList();
        var top = shares.OrderByDescending(s => s.Percent).Take(TopCount)
            .Select(s => s with { Percent = 100 * s.Percent / total }).ToList();
        return new OpProfile(caseName, samples, categories, top);
    }

    public double Share(string category) => Categories.Where(c => c.Category == category).Sum(c => c.Percent);

    public string ToMarkdown()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"### Where the time goes: {CaseName}");
        sb.AppendLine();
        sb.AppendLine(ci, $"`perf record` on this process during a repeat of the timed iterations ({Samples:N0} samples, all threads); shares of the samples.");
        sb.AppendLine();
        sb.AppendLine("| kind of work | share |");
        sb.AppendLine("|---|---:|");
        foreach (var (category, percent) in Categories) sb.AppendLine(ci, $"| {category} | {percent:F1} % |");
        sb.AppendLine();
        sb.AppendLine("| top function | library | share |");
        sb.AppendLine("|---|---|---:|");
        foreach (var s in TopSymbols) sb.AppendLine(ci, $"| `{Shorten(s.Symbol)}` | {s.Library} | {s.Percent:F1} % |");
        return sb.ToString();
    }

    /// <summary>C++ kernel names run to hundreds of characters of template arguments; the head names the op.</summary>
    private static string Shorten(string symbol)
    {
        var s = symbol.Replace('|', '/').Replace('`', '\'');
        return s.Length <= 110 ? s : s[..107] + "...";
    }
}

using System.Text.RegularExpressions;
using ClassifSae.Results;
using ClassifSae.Tests.Reporting;

namespace ClassifSae.Tests.Results;

public class HowToQueryExamplesTests
{
    [Fact]
    public void EverySqlExampleInTheDocRuns()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "results-db", "how-to-query.md"));
        var examples = Regex.Matches(doc, "```sql\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(examples.Count >= 3);

        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        SummaryReportTests.Fill(store);
        foreach (var sql in examples)
            store.Query(sql);

        var recovery = store.Query(examples[0]);
        Assert.Equal([0.8, 0.9], recovery.Rows.Select(r => (double)r[recovery.ColumnIndex("value")]!));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "results-db", "schema.sql"))) return dir.FullName;
        throw new DirectoryNotFoundException("results-db/schema.sql not found above " + AppContext.BaseDirectory);
    }
}

using System.Text.RegularExpressions;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>The three SQL examples in the README run against a store shaped like the smoke run's.</summary>
public class ReadmeSqlExamplesTests
{
    [Fact]
    public void TheReadmeQueriesRun()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        var queries = Regex.Matches(readme, "^\\$Q \"(.*?)\"$", RegexOptions.Singleline | RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, queries.Count);

        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        PaperTableStore.Fill(store);
        store.RecordStage(new StageRecord("smoke-1", "evaluate", "complete", new DateTime(2025, 3, 1, 2, 0, 0, DateTimeKind.Utc), Seconds: 4.5));
        store.ReplaceArtefacts("smoke-1", "evaluate", [new ArtefactRecord("smoke-1", "evaluate", "/runs/evaluate/metrics.json", 120, "ab")]);

        var table = store.Query(queries[0]);
        Assert.Equal(2, table.Rows.Count); // the smoke run's ClassifSAE recovery accuracy and activation rate
        var concepts = store.Query(queries[1]);
        Assert.Equal(["the <alpha> & sentence", "beta sentence"], concepts.Rows.Select(r => (string)r[concepts.ColumnIndex("text")]!));
        var stages = store.Query(queries[2]);
        Assert.Equal("120", Convert.ToString(stages.Rows.Single()[stages.ColumnIndex("bytes")], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ClassifSae.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("ClassifSae.sln not found above " + AppContext.BaseDirectory);
    }
}

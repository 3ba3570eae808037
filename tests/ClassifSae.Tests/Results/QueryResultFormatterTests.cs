using ClassifSae.Results;

namespace ClassifSae.Tests.Results;

public class QueryResultFormatterTests
{
    private static readonly QueryResult Tiny = new(
        ["model", "method", "value", "seed"],
        [
            ["bert-base", "classifsae", 0.875, 1],
            ["pythia|70m", null, 0.5, 12],
            ["a,\"b\"", "topk", double.NaN, null],
        ]);

    [Fact]
    public void TextTable()
    {
        Assert.Equal(
            """
            model       method      value  seed
            ----------  ----------  -----  ----
            bert-base   classifsae  0.875     1
            pythia|70m  NULL          0.5    12
            a,"b"       topk          NaN  NULL
            (3 rows)

            """.ReplaceLineEndings("\n"),
            TextTableFormatter.Format(Tiny));
    }

    [Fact]
    public void Csv()
    {
        Assert.Equal(
            "model,method,value,seed\n" +
            "bert-base,classifsae,0.875,1\n" +
            "pythia|70m,,0.5,12\n" +
            "\"a,\"\"b\"\"\",topk,NaN,\n",
            CsvFormatter.Format(Tiny));
    }

    [Fact]
    public void Markdown()
    {
        Assert.Equal(
            "| model | method | value | seed |\n" +
            "| --- | --- | ---: | ---: |\n" +
            "| bert-base | classifsae | 0.875 | 1 |\n" +
            "| pythia\\|70m |  | 0.5 | 12 |\n" +
            "| a,\"b\" | topk | NaN |  |\n",
            MarkdownTableFormatter.Format(Tiny));
    }

    [Fact]
    public void Json()
    {
        Assert.Equal(
            """
            [
              {
                "model": "bert-base",
                "method": "classifsae",
                "value": 0.875,
                "seed": 1
              },
              {
                "model": "pythia|70m",
                "method": null,
                "value": 0.5,
                "seed": 12
              },
              {
                "model": "a,\"b\"",
                "method": "topk",
                "value": "NaN",
                "seed": null
              }
            ]

            """.ReplaceLineEndings("\n"),
            JsonFormatter.Format(Tiny));
    }

    [Fact]
    public void EmptyResultStillHasHeader()
    {
        var empty = new QueryResult(["a", "b"], []);
        Assert.Equal("a  b\n-  -\n(0 rows)\n", TextTableFormatter.Format(empty));
        Assert.Equal("a,b\n", CsvFormatter.Format(empty));
        Assert.Equal("[]\n", JsonFormatter.Format(empty));
    }

    [Fact]
    public void FormatsTimestampsAndListsFromARealQuery()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var result = store.Query("SELECT TIMESTAMP '2025-03-04 05:06:07.25' AS t, [1, 2] AS l");
        Assert.Equal("t,l\n2025-03-04 05:06:07.25,\"[1, 2]\"\n", CsvFormatter.Format(result));
    }
}

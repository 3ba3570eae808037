using ClassifSae.Data;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using DuckDB.NET.Data;

namespace ClassifSae.Tests.Data;

/// <summary>
/// TweetEval as upstream reads it (spec 04 §1): the <c>cardiffnlp/tweet_eval</c> repo's Parquet files of one config
/// (<c>sentiment/</c>, <c>offensive/</c>), class names from the spec, test split = test rows then validation rows; missing
/// files stop the load with the download command. The fixtures are tiny Parquet files in the repo's layout.
/// </summary>
public sealed class TweetEvalFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tweeteval-").FullName;
    private readonly Profile _upstream = ProfileLoader.Load("upstream", RepoPaths.Profiles);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void WriteParquet(string relative, params (string Text, int Label)[] rows)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var c = new DuckDBConnection("DataSource=:memory:");
        c.Open();
        using var cmd = c.CreateCommand();
        var values = string.Join(", ", rows.Select(r => $"('{r.Text.Replace("'", "''")}', {r.Label})"));
        cmd.CommandText = $"COPY (SELECT * FROM (VALUES {values}) t(text, label)) TO '{path}' (FORMAT PARQUET)";
        cmd.ExecuteNonQuery();
    }

    private RunContext Context() => new()
    {
        Profile = _upstream, RunsDir = Path.Combine(_dir, "runs"), StorePath = Path.Combine(_dir, "s.duckdb"),
        Device = TorchSharp.torch.CPU, DeviceName = "cpu", Threads = 1, DataDir = Path.Combine(_dir, "data"),
    };

    [Fact]
    public void Sentiment_reads_the_hub_layout_with_test_rows_then_validation_rows()
    {
        WriteParquet("data/tweet_eval/sentiment/train-00000-of-00001.parquet", ("@user good day", 2), ("meh", 1), ("awful", 0));
        WriteParquet("data/tweet_eval/sentiment/test-00000-of-00001.parquet", ("t0", 0), ("t1", 2));
        WriteParquet("data/tweet_eval/sentiment/validation-00000-of-00001.parquet", ("v0", 1));
        // Another config's files beside it are not read.
        WriteParquet("data/tweet_eval/offensive/test-00000-of-00001.parquet", ("other", 1));

        var d = FineTuneStage.FilesSource(Context(), "tweeteval_sentiment").Load();

        Assert.Equal(["negative", "neutral", "positive"], d.ClassNames);
        Assert.Equal(["@user good day", "meh", "awful"], d.Train.Select(e => e.Text));
        Assert.Equal(["t0", "t1", "v0"], d.Test.Select(e => e.Text));
        Assert.Equal([0, 2, 1], d.Test.Select(e => e.Label));
        Assert.Equal([0, 1, 2], d.Test.Select(e => e.Index));
    }

    [Fact]
    public void Offensive_has_upstreams_two_class_names()
    {
        WriteParquet("data/tweet_eval/offensive/train-00000-of-00001.parquet", ("a", 0), ("b", 1));
        WriteParquet("data/tweet_eval/offensive/test-00000-of-00001.parquet", ("c", 1));
        WriteParquet("data/tweet_eval/offensive/validation-00000-of-00001.parquet", ("d", 0), ("e", 0));
        var d = FineTuneStage.FilesSource(Context(), "tweeteval_offensive").Load();
        Assert.Equal(["non-offensive", "offensive"], d.ClassNames);
        Assert.Equal(["c", "d", "e"], d.Test.Select(e => e.Text));
    }

    [Fact]
    public void Missing_validation_files_name_the_download_command()
    {
        WriteParquet("data/tweet_eval/sentiment/train-00000-of-00001.parquet", ("a", 0), ("b", 1), ("c", 2));
        WriteParquet("data/tweet_eval/sentiment/test-00000-of-00001.parquet", ("t", 0));
        var e = Assert.Throws<FileNotFoundException>(() => FineTuneStage.FilesSource(Context(), "tweeteval_sentiment").Load());
        Assert.Contains("test split: no file matches", e.Message);
        Assert.Contains("validation-*.parquet", e.Message);
        Assert.Contains($"`huggingface-cli download cardiffnlp/tweet_eval --repo-type dataset --include \"sentiment/*\" --local-dir {Path.Combine(_dir, "data", "tweet_eval")}`", e.Message);
    }

    [Theory]
    [InlineData("cardiffnlp/tweet_eval", "tweet_eval/offensive/train-*.parquet", "huggingface-cli download cardiffnlp/tweet_eval --repo-type dataset --include \"offensive/*\" --local-dir /d/tweet_eval")]
    [InlineData("fancyzhx/ag_news", "ag_news/**/train-*.parquet", "huggingface-cli download fancyzhx/ag_news --repo-type dataset --local-dir /d/ag_news")]
    [InlineData("stanfordnlp/imdb", "imdb/plain_text/train-*.parquet", "huggingface-cli download stanfordnlp/imdb --repo-type dataset --include \"plain_text/*\" --local-dir /d/imdb")]
    [InlineData("me/flat", "train.csv", "huggingface-cli download me/flat --repo-type dataset --local-dir /d")]
    public void The_download_command_puts_the_files_where_the_pattern_looks(string hubId, string pattern, string expected) =>
        Assert.Equal(expected, HubDatasetDownload.Command(hubId, pattern, "/d"));
}

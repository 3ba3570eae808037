using ClassifSae.Data;
using DuckDB.NET.Data;

namespace ClassifSae.Tests.Data;

public sealed class TabularSplitReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tabular-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private void WriteParquet(string name, string selectSql)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var c = new DuckDBConnection("DataSource=:memory:");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"COPY ({selectSql}) TO '{path}' (FORMAT PARQUET)";
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void Reads_csv_jsonl_and_sharded_parquet_in_order()
    {
        Write("a.csv", "text,label\n\"hello, world\",1\nbye,0\n");
        Assert.Equal([("hello, world", 1L), ("bye", 0L)], TabularSplitReader.Read(Path.Combine(_dir, "a.csv"), "text", "label", "t"));
        Write("b.jsonl", "{\"review\":\"good\",\"y\":1}\n{\"review\":\"bad\",\"y\":0}\n");
        Assert.Equal([("good", 1L), ("bad", 0L)], TabularSplitReader.Read(Path.Combine(_dir, "b.jsonl"), "review", "y", "t"));
        WriteParquet("hf/data/train-00001-of-00002.parquet", "SELECT 'third' AS text, 3 AS label");
        WriteParquet("hf/data/train-00000-of-00002.parquet", "SELECT 'first' AS text, 1 AS label UNION ALL SELECT 'second', 2");
        Assert.Equal([("first", 1L), ("second", 2L), ("third", 3L)],
            TabularSplitReader.Read(Path.Combine(_dir, "hf/**/train-*.parquet"), "text", "label", "t"));
    }

    [Fact]
    public void A_missing_column_is_named_with_the_columns_that_exist()
    {
        Write("c.csv", "sentence,label\nx,0\n");
        var e = Assert.Throws<InvalidDataException>(() => TabularSplitReader.Read(Path.Combine(_dir, "c.csv"), "text", "label", "data set 'd' train split"));
        Assert.Contains("has no text column 'text' (columns: sentence, label)", e.Message);
    }

    [Fact]
    public void Labels_outside_the_class_list_and_empty_texts_are_rejected()
    {
        Write("tr.csv", "text,label\nx,0\ny,5\n");
        Write("te.csv", "text,label\nz,1\n");
        var e = Assert.Throws<InvalidDataException>(() =>
            new FileDatasetSource("d", Path.Combine(_dir, "tr.csv"), Path.Combine(_dir, "te.csv"), "text", "label", ["a", "b"]).Load());
        Assert.Contains("label 5, outside the class list", e.Message);
        Write("tr2.csv", "text,label\n\"\",0\n");
        e = Assert.Throws<InvalidDataException>(() =>
            new FileDatasetSource("d", Path.Combine(_dir, "tr2.csv"), Path.Combine(_dir, "te.csv"), "text", "label", ["a", "b"]).Load());
        Assert.Contains("empty text", e.Message);
    }

    [Fact]
    public void Missing_files_name_the_hub_dataset_to_download()
    {
        var e = Assert.Throws<FileNotFoundException>(() =>
            new FileDatasetSource("ag_news", Path.Combine(_dir, "none/*.parquet"), Path.Combine(_dir, "none/t.parquet"), "text", "label", ["a", "b"],
                HubDatasetDownload.Command("fancyzhx/ag_news", "ag_news/**/train-*.parquet", _dir)).Load());
        Assert.Contains("huggingface-cli download fancyzhx/ag_news --repo-type dataset", e.Message);
    }
}

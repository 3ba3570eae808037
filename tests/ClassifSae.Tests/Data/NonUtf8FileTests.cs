using ClassifSae.Data;

namespace ClassifSae.Tests.Data;

/// <summary>A data file that is not UTF-8 used to give DuckDB's 900-character error (issue 12, item 10); now one short line.</summary>
public sealed class NonUtf8FileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("non-utf8-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_latin1_csv_is_one_short_line_naming_the_file()
    {
        var path = Path.Combine(_dir, "train.csv");
        File.WriteAllBytes(path, [.. "text,label\ncaf"u8, 0xE9, .. " au lait,1\nna"u8, 0xEF, .. "ve,0\n"u8]);
        var e = Assert.Throws<InvalidDataException>(() => TabularSplitReader.Read(path, "text", "label", "data set 'd' train split"));
        Assert.Equal($"data set 'd' train split: {path} is not UTF-8 text; re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8 IN > OUT)", e.Message);
    }
}

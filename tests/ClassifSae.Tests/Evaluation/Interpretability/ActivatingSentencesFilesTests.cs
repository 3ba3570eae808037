using ClassifSae.Evaluation.Interpretability;

namespace ClassifSae.Tests.Evaluation.Interpretability;

public sealed class ActivatingSentencesFilesTests : IDisposable
{
    private readonly ClassifSae.Tests.Results.TempFolder _temp = new();
    private string Dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Keeps_the_top_ten_by_signed_value_that_are_in_the_activating_set()
    {
        var column = Enumerable.Range(0, 30).Select(i => (double)i).ToArray(); // top 10 = rows 29..20
        var kept = ActivatingSentencesFiles.Kept(column, [29, 25, 21, 5]).ToArray();
        Assert.Equal(new[] { (29, 29.0), (25, 25.0), (21, 21.0) }, kept);
    }

    [Fact]
    public void Writes_the_originals_csv_and_text_layout_per_class_index()
    {
        var rows = new Dictionary<int, List<ActivatingSentencesFiles.Row>>
        {
            [1] = [new("plain text", 2.5, 7, 0.125), new("has, comma and \"quote\"", 1.5, 7, 0.125), new("other", 0.5, 3, 0.25)],
        };
        var paths = ActivatingSentencesFiles.Write(Dir, rows);
        Assert.Equal(2, paths.Count);
        Assert.False(File.Exists(Path.Combine(Dir, "category_0.csv")));
        Assert.Equal(
            "sentence,activation strength,feature_id,sparsity\nplain text,2.5,7,0.125\n\"has, comma and \"\"quote\"\"\",1.5,7,0.125\nother,0.5,3,0.25\n",
            File.ReadAllText(Path.Combine(Dir, "category_1.csv")));
        Assert.Equal(
            "\n####### Feature 7 ##########\n\n\nplain text\t2.5\n\nhas, comma and \"quote\"\t1.5\n\n####### Feature 3 ##########\n\n\nother\t0.5\n",
            File.ReadAllText(Path.Combine(Dir, "category_1.txt")));
        ActivatingSentencesFiles.Write(Dir, rows); // a re-run replaces, never appends
        Assert.Equal(4, File.ReadAllLines(Path.Combine(Dir, "category_1.csv")).Length);
    }
}

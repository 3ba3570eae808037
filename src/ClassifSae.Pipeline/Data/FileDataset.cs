namespace ClassifSae.Data;

/// <summary>
/// A user's data set from files: where the splits are, which columns hold text and label (class indices or class names), the
/// class names. <paramref name="TestExtraPatterns"/> are read after the test pattern and appended to the test split in order
/// (upstream evaluates TweetEval on its test rows followed by its validation rows, spec 04 §1).
/// </summary>
/// <param name="DownloadHint">the command that fetches missing files, named in the error (null: none known)</param>
public sealed record FileDatasetSource(string Name, string TrainPattern, string TestPattern, string TextColumn, string LabelColumn,
    IReadOnlyList<string> ClassNames, string? DownloadHint = null, IReadOnlyList<string>? TestExtraPatterns = null)
{
    public TextDataset Load()
    {
        var hint = DownloadHint is null ? "" : $" (download it: `{DownloadHint}`, or pass --data-dir)";
        IEnumerable<(string Text, long Label)> Read(string split, string pattern)
        {
            try { return TabularSplitReader.Read(pattern, TextColumn, LabelColumn, $"data set '{Name}' {split} split", ClassNames); }
            catch (FileNotFoundException e) { throw new FileNotFoundException(e.Message + hint, pattern); }
        }
        List<TextExample> Split(string split, IEnumerable<string> patterns) =>
            patterns.SelectMany(p => Read(split, p)).Select((r, i) => new TextExample(i, r.Text, checked((int)r.Label))).ToList();
        return new TextDataset(Name, ClassNames, Split("train", [TrainPattern]), Split("test", [TestPattern, .. TestExtraPatterns ?? []])).Validate();
    }
}

namespace ClassifSae.Data;

/// <summary>A user's data set from files: where the splits are, which columns hold text and label (class indices or class names), the class names.</summary>
public sealed record FileDatasetSource(string Name, string TrainPattern, string TestPattern, string TextColumn, string LabelColumn,
    IReadOnlyList<string> ClassNames, string? HubId = null)
{
    public TextDataset Load()
    {
        var hint = HubId is null ? "" : $" (the Hugging Face dataset '{HubId}': download its Parquet files there, e.g. `huggingface-cli download {HubId} --repo-type dataset --local-dir <dir>`)";
        List<TextExample> Split(string split, string pattern)
        {
            IReadOnlyList<(string Text, long Label)> rows;
            try { rows = TabularSplitReader.Read(pattern, TextColumn, LabelColumn, $"data set '{Name}' {split} split", ClassNames); }
            catch (FileNotFoundException e) { throw new FileNotFoundException(e.Message + hint, pattern); }
            return rows.Select((r, i) => new TextExample(i, r.Text, checked((int)r.Label))).ToList();
        }
        return new TextDataset(Name, ClassNames, Split("train", TrainPattern), Split("test", TestPattern)).Validate();
    }
}

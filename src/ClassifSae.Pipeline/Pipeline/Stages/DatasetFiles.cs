using System.Text.Json;
using ClassifSae.Data;
using ClassifSae.Formats;

namespace ClassifSae.Pipeline.Stages;

/// <summary>The data set a run used, saved beside the fine-tuned model (JSON lines per split) so later stages and users see the exact texts.</summary>
public static class DatasetFiles
{
    private static readonly JsonSerializerOptions Lines = new(Profile.JsonOptions) { WriteIndented = false };

    private sealed record Header(string Name, IReadOnlyList<string> ClassNames);

    public static void Save(string folder, TextDataset dataset)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "dataset.json"), JsonSerializer.Serialize(new Header(dataset.Name, dataset.ClassNames), Profile.JsonOptions));
        foreach (var (split, rows) in new[] { ("train", dataset.Train), ("test", dataset.Test) })
            AtomicFile.WriteAllText(Path.Combine(folder, split + ".jsonl"),
                string.Concat(rows.Select(r => JsonSerializer.Serialize(r, Lines) + "\n")));
    }

    public static TextDataset Load(string folder)
    {
        var headerPath = Path.Combine(folder, "dataset.json");
        if (!File.Exists(headerPath)) throw new UserError($"{headerPath}: data set description not found");
        var header = JsonSerializer.Deserialize<Header>(File.ReadAllText(headerPath), Profile.JsonOptions)
                     ?? throw new UserError($"{headerPath}: empty");
        List<TextExample> Read(string split)
        {
            var path = Path.Combine(folder, split + ".jsonl");
            if (!File.Exists(path)) throw new UserError($"{path}: split file not found");
            return File.ReadLines(path).Where(l => l.Length > 0).Select((l, i) =>
                JsonSerializer.Deserialize<TextExample>(l, Lines) ?? throw new UserError($"{path}: line {i + 1} is empty")).ToList();
        }
        try
        {
            return new TextDataset(header.Name, header.ClassNames, Read("train"), Read("test")).Validate();
        }
        catch (InvalidDataException e)
        {
            throw new UserError($"{folder}: {e.Message}");
        }
    }
}

using System.Text.Json;
using ClassifSae.Formats;

namespace ClassifSae.Evaluation;

/// <summary>
/// Confusion counts per split, <c>confusion.json</c>: <c>{"test": [[n(true 0, predicted 0), n(true 0, predicted 1), ...], ...]}</c>
/// (row = true class, column = predicted class), written next to the metrics that summarise them.
/// </summary>
public static class ConfusionMatrixFile
{
    public const string FileName = "confusion.json";

    public static int[][] Count(IReadOnlyList<long> predicted, IReadOnlyList<long> truth, int classes)
    {
        if (predicted.Count != truth.Count) throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} labels");
        var m = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        for (var i = 0; i < truth.Count; i++)
        {
            if (truth[i] < 0 || truth[i] >= classes || predicted[i] < 0 || predicted[i] >= classes)
                throw new ArgumentOutOfRangeException(nameof(predicted), $"row {i}: class {truth[i]} predicted as {predicted[i]}, expected classes 0..{classes - 1}");
            m[truth[i]][predicted[i]]++;
        }
        return m;
    }

    public static void Write(string folder, IReadOnlyDictionary<string, int[][]> bySplit) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(bySplit));

    /// <returns>Null when the folder has no confusion.json (written by older builds).</returns>
    public static IReadOnlyDictionary<string, int[][]>? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        return JsonSerializer.Deserialize<Dictionary<string, int[][]>>(File.ReadAllText(path))
               ?? throw new InvalidDataException($"{path}: expected {{\"split\": [[counts]]}}");
    }
}

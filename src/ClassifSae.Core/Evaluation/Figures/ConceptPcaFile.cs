using System.Text.Json;
using System.Text.Json.Nodes;
using ClassifSae.Formats;

namespace ClassifSae.Evaluation.Figures;

/// <summary>
/// <c>pca_figures/concept_pca.json</c>: every candidate concept's decoder direction in the 2-D PCA of the test states
/// (<see cref="DecoderPca"/>, without class prototypes), as <c>[{"concept": j, "x": .., "y": ..}, ...]</c>. Evaluate writes
/// it for SAE methods next to the figure; the results store reads it into concepts.pca_x / pca_y.
/// </summary>
public static class ConceptPcaFile
{
    public const string FileName = "concept_pca.json";

    public static void Write(string folder, IReadOnlyList<int> concepts, double[][] coordinates)
    {
        if (concepts.Count != coordinates.Length) throw new ArgumentException("one coordinate pair per concept", nameof(coordinates));
        var json = new JsonArray(concepts.Select((c, i) => (JsonNode)new JsonObject
        {
            ["concept"] = c, ["x"] = coordinates[i][0], ["y"] = coordinates[i][1],
        }).ToArray());
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Null when the folder has no such file (non-SAE methods, or an Evaluate folder from an older build).</summary>
    public static IReadOnlyDictionary<int, (double X, double Y)>? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        if (JsonNode.Parse(File.ReadAllText(path)) is not JsonArray entries)
            throw new InvalidDataException($"{path}: expected a JSON array of {{concept, x, y}}");
        return entries.OfType<JsonObject>().ToDictionary(
            e => e["concept"]!.GetValue<int>(),
            e => (e["x"]!.GetValue<double>(), e["y"]!.GetValue<double>()));
    }
}

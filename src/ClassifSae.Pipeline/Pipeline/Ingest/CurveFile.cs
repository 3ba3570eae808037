using System.Text.Json.Nodes;

namespace ClassifSae.Pipeline.Ingest;

/// <summary>
/// Reads the training-curve files the stages write: Fine-tune's <c>curves.json</c> (<c>{"pretrain": [{step, loss, lr}], "finetune": [...]}</c>),
/// an SAE method's <c>training_curve.json</c> (<c>[{step, total, mse, classifier, ...}]</c>) and ConceptSHAP's
/// (<c>[{epoch, total, prediction, knn, diversity, ...}]</c>) and HI-Concept's (<c>[{epoch, total, reconstruction,
/// prediction, flip, r1, r2, ...}]</c>), as named loss series over steps or epochs.
/// </summary>
public static class CurveFile
{
    /// <summary>Loss terms of a training step or epoch worth plotting, in legend order (those a file has).</summary>
    private static readonly string[] LossTerms = ["total", "mse", "classifier", "activation_rate", "reconstruction", "prediction", "knn", "diversity", "flip", "r1", "r2", "loss"];

    public sealed record Curves(string XLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> Series);

    public static Curves Read(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path));
        return node switch
        {
            JsonObject o => new("step", o.Where(kv => kv.Value is JsonArray).Select(kv => (kv.Key, Points((JsonArray)kv.Value!, "step", "loss")))
                .Where(s => s.Item2.Count > 0).ToList()),
            JsonArray a => ReadRows(a),
            _ => new("step", []),
        };
    }

    private static Curves ReadRows(JsonArray rows)
    {
        var x = rows.OfType<JsonObject>().FirstOrDefault() is { } first && !first.ContainsKey("step") && first.ContainsKey("epoch") ? "epoch" : "step";
        return new(x, LossTerms.Select(t => (t, Points(rows, x, t))).Where(s => s.Item2.Count > 0).ToList());
    }

    private static IReadOnlyList<(double X, double Y)> Points(JsonArray array, string x, string field)
    {
        var points = new List<(double, double)>();
        foreach (var item in array.OfType<JsonObject>())
            if (item[x] is JsonValue s && item[field] is JsonValue v && s.TryGetValue<double>(out var px) && v.TryGetValue<double>(out var py))
                points.Add((px, py));
        return points;
    }
}

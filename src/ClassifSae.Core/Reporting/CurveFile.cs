using System.Text.Json.Nodes;

namespace ClassifSae.Reporting;

/// <summary>
/// Reads the training-curve files the stages write: Fine-tune's <c>curves.json</c> (<c>{"pretrain": [{step, loss, lr}], "finetune": [...]}</c>)
/// and Train's <c>training_curve.json</c> (<c>[{step, total, mse, classifier, ...}]</c>), as named loss series.
/// </summary>
internal static class CurveFile
{
    /// <summary>Loss terms of an SAE training step worth plotting, in legend order.</summary>
    private static readonly string[] SaeTerms = ["total", "mse", "classifier", "activation_rate", "loss"];

    public static IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> Read(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path));
        return node switch
        {
            JsonObject o => o.Where(kv => kv.Value is JsonArray).Select(kv => (kv.Key, Points((JsonArray)kv.Value!, "loss")))
                .Where(s => s.Item2.Count > 0).ToList(),
            JsonArray a => SaeTerms.Select(t => (t, Points(a, t))).Where(s => s.Item2.Count > 0).ToList(),
            _ => [],
        };
    }

    private static IReadOnlyList<(double X, double Y)> Points(JsonArray array, string field)
    {
        var points = new List<(double, double)>();
        foreach (var item in array.OfType<JsonObject>())
            if (item["step"] is JsonValue s && item[field] is JsonValue v && s.TryGetValue<double>(out var x) && v.TryGetValue<double>(out var y))
                points.Add((x, y));
        return points;
    }
}

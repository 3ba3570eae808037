using System.Text.Json;
using System.Text.Json.Nodes;
using ClassifSae.Formats;

namespace ClassifSae.Evaluation;

/// <summary>
/// <c>activation_rates.json</c> in a method's Evaluate results folder: each feature's firing frequency in percent as the
/// trainer measured it (for SAE methods, from Train's SAELens <c>sparsity.safetensors</c>), and that source. Evaluate
/// records it so the results store reads a finished Evaluate folder only, never Train's.
/// </summary>
public static class ActivationRatesFile
{
    public const string FileName = "activation_rates.json";

    public sealed record Rates(string Source, IReadOnlyDictionary<int, double> Pct);

    public static void Write(string folder, Rates rates)
    {
        var json = new JsonObject
        {
            ["source"] = rates.Source,
            ["rates_pct"] = new JsonArray(rates.Pct.OrderBy(kv => kv.Key).Select(kv => (JsonNode)new JsonObject
            {
                ["concept"] = kv.Key, ["pct"] = kv.Value,
            }).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Null when the folder has no such file (methods without a trainer's statistics, or an older Evaluate folder).</summary>
    public static Rates? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject o || o["source"] is null || o["rates_pct"] is not JsonArray rates)
            throw new InvalidDataException($"{path}: expected {{\"source\": ..., \"rates_pct\": [{{concept, pct}}, ...]}}");
        return new Rates(o["source"]!.GetValue<string>(),
            rates.OfType<JsonObject>().ToDictionary(e => e["concept"]!.GetValue<int>(), e => e["pct"]!.GetValue<double>()));
    }
}

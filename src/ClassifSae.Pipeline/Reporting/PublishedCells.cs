using System.Text.Json;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// Which published cell (the paper's model and data-set names, e.g. pythia-410m / ag_news) a cell of ours is, read from
/// the run's configuration: the model's <c>path</c> (e.g. EleutherAI/pythia-410m) and the data set's <c>hub_id</c> (e.g.
/// fancyzhx/ag_news), last path segment, else the profile's key, compared without case. Our own model or data set matches
/// none, so its report shows no unrelated published numbers.
/// </summary>
internal static class PublishedCells
{
    public sealed record Cell(string Model, string Dataset);

    /// <summary>(profile as the report shows it, model, data set) of every run → the published cell it is, or null.</summary>
    public static IReadOnlyDictionary<(string Profile, string Model, string Dataset), Cell?> Read(ResultsStore store)
    {
        var published = store.Query("SELECT DISTINCT model, dataset FROM reference_results").Rows
            .Select(r => new Cell((string)r[0]!, (string)r[1]!)).ToList();
        var runs = store.Query("SELECT profile, model, dataset, arg_max(config_json, created_at) FROM latest_runs GROUP BY ALL").Rows;
        return runs.ToDictionary(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!), r =>
        {
            var (model, dataset) = Names((string)r[1]!, (string)r[2]!, (string?)r[3]);
            return published.FirstOrDefault(p => string.Equals(p.Model, model, StringComparison.OrdinalIgnoreCase)
                                                 && string.Equals(p.Dataset, dataset, StringComparison.OrdinalIgnoreCase));
        });
    }

    /// <summary>The names a cell goes by: the model's path and the data set's hub id (last segment), else their keys.</summary>
    internal static (string Model, string Dataset) Names(string modelKey, string datasetKey, string? configJson)
    {
        if (string.IsNullOrWhiteSpace(configJson)) return (modelKey, datasetKey);
        try
        {
            using var doc = JsonDocument.Parse(configJson);
            return (Entry(doc.RootElement, "models", modelKey, "path") ?? modelKey, Entry(doc.RootElement, "datasets", datasetKey, "hub_id") ?? datasetKey);
        }
        catch (JsonException)
        {
            return (modelKey, datasetKey);
        }
    }

    private static string? Entry(JsonElement root, string section, string key, string field) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(section, out var s) && s.ValueKind == JsonValueKind.Object
        && s.TryGetProperty(key, out var entry) && entry.ValueKind == JsonValueKind.Object
        && entry.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } text
            ? LastSegment(text)
            : null;

    private static string LastSegment(string path) => path.TrimEnd('/', '\\').Split('/', '\\')[^1];
}

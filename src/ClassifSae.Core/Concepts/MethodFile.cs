using System.Text.Json;
using System.Text.Json.Nodes;
using ClassifSae.Formats;

namespace ClassifSae.Concepts;

/// <summary>
/// <c>method.json</c>, present in every trained method folder: which method wrote it (<c>method</c>), the folder
/// layout version (<c>format_version</c>), a hash of everything that determined the training (<c>training_hash</c>,
/// used to reuse an unchanged folder) and the method's settings (<c>settings</c>, for people and for reloading).
/// </summary>
public sealed record MethodFile(string Method, int FormatVersion, string TrainingHash, JsonObject Settings)
{
    public const string FileName = "method.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Save(string folder)
    {
        var json = new JsonObject
        {
            ["method"] = Method,
            ["format_version"] = FormatVersion,
            ["training_hash"] = TrainingHash,
            ["settings"] = Settings.DeepClone(),
        };
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), json.ToJsonString(Indented));
    }

    public static MethodFile? TryLoad(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (o is null) return null;
            return new MethodFile(o["method"]?.GetValue<string>() ?? "", o["format_version"]?.GetValue<int>() ?? 0,
                o["training_hash"]?.GetValue<string>() ?? "", o["settings"] as JsonObject ?? []);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException) { return null; }
    }

    /// <summary>Loads and checks that <paramref name="folder"/> holds <paramref name="method"/>'s layout version.</summary>
    public static MethodFile Require(string folder, IConceptMethod method)
    {
        var file = TryLoad(folder) ?? throw new InvalidDataException($"{Path.Combine(folder, FileName)}: missing or unreadable (train the method again)");
        if (file.Method != method.Key) throw new InvalidDataException($"{folder}: holds method '{file.Method}', expected '{method.Key}'");
        if (!method.ReadableFormatVersions.Contains(file.FormatVersion))
            throw new InvalidDataException($"{folder}: format version {file.FormatVersion}, this build reads version(s) {string.Join(", ", method.ReadableFormatVersions)} (train the method again)");
        return file;
    }

    public static JsonObject ToJson(IMethodSettings settings) =>
        JsonSerializer.SerializeToNode(settings, settings.GetType(), SnakeCaseJson.Options) as JsonObject ?? [];
}

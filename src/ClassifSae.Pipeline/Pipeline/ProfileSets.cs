using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClassifSae.Pipeline;

/// <summary>
/// Command-line overrides of profile keys, <c>--set section.key=value</c> (e.g. <c>--set classif_sae.k=20</c>,
/// <c>--set fine_tune.epochs=2</c>, <c>--set datasets.planted.train_size=400</c>), written into the profile's JSON before
/// it is parsed, so a set key is checked exactly like one in the file: a misspelt key or an out-of-range value is one line.
/// The value is read as JSON (numbers, true/false, null, lists, objects) and otherwise taken as a string.
/// </summary>
public static class ProfileSets
{
    public static string Apply(string json, IReadOnlyList<string> sets, string source)
    {
        if (sets.Count == 0) return json;
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new UserError($"{source}: not valid JSON ({e.Message})"); }
        if (root is not JsonObject profile) throw new UserError($"{source}: a profile is a JSON object");
        foreach (var set in sets)
        {
            var eq = set.IndexOf('=');
            if (eq <= 0) throw new UserError($"--set '{set}': expected section.key=value, e.g. --set classif_sae.k=20");
            var path = set[..eq].Trim().Split('.');
            if (path.Any(p => p.Length == 0)) throw new UserError($"--set '{set}': '{set[..eq]}' is not a dotted key such as classif_sae.k");
            var node = profile;
            foreach (var part in path[..^1])
            {
                if (node[part] is null) node[part] = new JsonObject();
                node = node[part] as JsonObject ?? throw new UserError($"--set '{set}': '{part}' is not a section (it holds {node[part]!.ToJsonString()})");
            }
            node[path[^1]] = Value(set[(eq + 1)..]);
        }
        return profile.ToJsonString();
    }

    private static JsonNode? Value(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return JsonValue.Create(text); }
    }
}

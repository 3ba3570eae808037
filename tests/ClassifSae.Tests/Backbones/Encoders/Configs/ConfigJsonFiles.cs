using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClassifSae.Tests.Backbones.Encoders.Configs;

/// <summary>Temp config.json files and JSON comparisons for the encoder config tests.</summary>
internal sealed class ConfigJsonFiles : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("encoder-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public string Write(string json)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>The message of the InvalidDataException that <paramref name="load"/> throws, without the "path: " prefix (which is checked).</summary>
    public string ErrorOf(Action<string> load, string json)
    {
        var path = Write(json);
        var e = Assert.Throws<InvalidDataException>(() => load(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message[(path.Length + 2)..];
    }

    /// <summary><paramref name="json"/> with <paramref name="key"/> set to <paramref name="jsonValue"/> (JSON text).</summary>
    public static string With(string json, string key, string jsonValue)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        obj[key] = JsonNode.Parse(jsonValue);
        return obj.ToJsonString();
    }

    /// <summary>Every leaf as "path=value", numbers compared by value (1e-06 and 1E-06 are one number).</summary>
    public static SortedSet<string> Leaves(string json, params string[] droppedKeys)
    {
        var leaves = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o) Walk(v, $"{path}/{k}");
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) Walk(a[i], $"{path}[{i}]");
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                    leaves.Add($"{path}={v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture)}");
                    break;
                default:
                    leaves.Add($"{path}={node?.ToJsonString() ?? "null"}");
                    break;
            }
        }
        var root = JsonNode.Parse(json)!.AsObject();
        foreach (var k in droppedKeys) Assert.True(root.Remove(k), $"test input lacks {k}");
        Walk(root, "");
        return leaves;
    }

    public static string[] Keys(string json) => [.. JsonNode.Parse(json)!.AsObject().Select(kv => kv.Key)];
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClassifSae.Formats;

namespace ClassifSae.Pipeline;

/// <summary>
/// Written last into a stage's folder: what the stage was run with (config hash, upstream manifests) and what
/// it produced (files with checksums). A stage whose manifest matches its current config and inputs, and whose
/// files still match their checksums, is up to date and skipped.
/// </summary>
public sealed record StageManifest
{
    public const string FileName = "manifest.json";

    public required string Stage { get; init; }
    public required string Model { get; init; }
    public required string Dataset { get; init; }
    public required string ConfigHash { get; init; }
    public required Dictionary<string, string> Inputs { get; init; }
    public required List<OutputFile> Outputs { get; init; }
    public required DateTime StartedAt { get; init; }
    public required DateTime FinishedAt { get; init; }
    public required double Seconds { get; init; }
    public required Provenance Provenance { get; init; }
    public string Status { get; init; } = "complete";

    public sealed record OutputFile(string Path, long Bytes, string Sha256);

    /// <summary>Identity of this stage's result, used as the input hash of the stages that read it.</summary>
    public string ContentHash() => Hashing.Sha256(ConfigHash + "|" + string.Join("|", Outputs.Select(o => o.Path + ":" + o.Sha256)));

    public void Save(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Profile.JsonOptions));

    public static StageManifest? TryLoad(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<StageManifest>(File.ReadAllText(path), Profile.JsonOptions); }
        catch (JsonException) { return null; }
    }

    public bool OutputsIntact(string folder) => Outputs.All(o =>
    {
        var p = Path.Combine(folder, o.Path);
        return File.Exists(p) && new FileInfo(p).Length == o.Bytes && Hashing.FileSha256(p) == o.Sha256;
    });

    public static List<OutputFile> Describe(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != FileName)
            .Select(f => new OutputFile(Path.GetRelativePath(folder, f).Replace('\\', '/'), new FileInfo(f).Length, Hashing.FileSha256(f)))
            .OrderBy(o => o.Path, StringComparer.Ordinal).ToList();
}

public static class Hashing
{
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string FileSha256(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>Hash of an object's canonical JSON (the profile's serializer, so key order is the declaration order).</summary>
    public static string Config(object value) => Sha256(JsonSerializer.Serialize(value, value.GetType(), Profile.JsonOptions));
}

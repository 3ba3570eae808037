using System.Text.Json;
using System.Text.Json.Serialization;
using ClassifSae.Formats;

namespace ClassifSae.Text;

/// <summary>JSON file of a compact vocabulary: {"encoding": "cl100k_base", "originalIds": [ ... ]}.</summary>
internal static class CompactVocabularyFile
{
    private sealed record Dto(
        [property: JsonPropertyName("encoding")] string? Encoding,
        [property: JsonPropertyName("originalIds")] int[]? OriginalIds);

    public static void Save(string path, string encoding, IReadOnlyList<int> originalIds)
    {
        var json = JsonSerializer.Serialize(new Dto(encoding, originalIds.ToArray()));
        AtomicFile.WriteAllText(path, json + "\n");
    }

    public static (string Encoding, IReadOnlyList<int> OriginalIds) Load(string path)
    {
        Dto? dto;
        try { dto = JsonSerializer.Deserialize<Dto>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a compact vocabulary JSON file ({e.Message})", e); }
        if (dto?.Encoding is not { Length: > 0 } enc)
            throw new InvalidDataException($"{path}: missing \"encoding\".");
        if (dto.OriginalIds is not { } ids)
            throw new InvalidDataException($"{path}: missing \"originalIds\".");
        return (enc, ids);
    }
}

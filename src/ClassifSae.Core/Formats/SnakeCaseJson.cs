using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClassifSae.Formats;

/// <summary>
/// The one JSON convention of profiles and saved settings: snake_case keys, unknown keys refused (a typo never falls
/// back to a default), comments and trailing commas allowed, enums as snake_case strings.
/// </summary>
public static class SnakeCaseJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

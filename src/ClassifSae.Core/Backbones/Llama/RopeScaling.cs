using System.Text.Json.Serialization;

namespace ClassifSae.Backbones.Llama;

/// <summary>
/// config.json's <c>rope_scaling</c> (Llama 3.1: <c>{"rope_type": "llama3", "factor": 8, "low_freq_factor": 1,
/// "high_freq_factor": 4, "original_max_position_embeddings": 8192}</c>; older files say <c>"type"</c>).
/// </summary>
public sealed record RopeScaling
{
    [JsonPropertyName("rope_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? RopeType { get; init; }
    [JsonPropertyName("type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? LegacyType { get; init; }
    [JsonPropertyName("factor")] public double Factor { get; init; } = 1;
    [JsonPropertyName("low_freq_factor")] public double LowFreqFactor { get; init; } = 1;
    [JsonPropertyName("high_freq_factor")] public double HighFreqFactor { get; init; } = 4;
    [JsonPropertyName("original_max_position_embeddings")] public int OriginalMaxPositions { get; init; } = 8192;

    [JsonIgnore] public string Kind => RopeType ?? LegacyType ?? "default";
}

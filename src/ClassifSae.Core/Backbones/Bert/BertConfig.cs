using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// The architecture fields of a Hugging Face BERT <c>config.json</c> (all-MiniLM-L6-v2: 6 layers, 384 wide,
/// 12 heads). Property names follow the HF keys; anything our <see cref="BertModel"/> does not implement
/// (another model_type, activation or position embedding) is rejected rather than silently approximated.
/// </summary>
public sealed record BertConfig
{
    public const string FileName = "config.json";

    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "bert";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; }
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    [JsonPropertyName("position_embedding_type")] public string PositionEmbeddingType { get; init; } = "absolute";
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropout { get; init; } = 0.1;
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionDropout { get; init; } = 0.1;
    /// <summary>Dropout before the classification head; null means <see cref="HiddenDropout"/>, as in HF.</summary>
    [JsonPropertyName("classifier_dropout")] public double? ClassifierDropout { get; init; }
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("architectures")] public List<string>? Architectures { get; init; }
    /// <summary>Class index (as a string, HF's JSON form) → class name, for sequence classifiers.</summary>
    [JsonPropertyName("id2label")] public Dictionary<string, string>? Id2Label { get; init; }
    [JsonPropertyName("label2id")] public Dictionary<string, int>? Label2Id { get; init; }
    /// <summary>Where our pipeline reads the decision state (absent: [CLS] after the last layer, as upstream).</summary>
    [JsonPropertyName(EncoderHook.LayerKey)] public int? HookLayer { get; init; }
    [JsonPropertyName(EncoderHook.TokenKey)] public string? HookToken { get; init; }

    [JsonIgnore] public int HeadDim => HiddenSize / NumHeads;

    public void Validate(string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"{source}: {what}");
        }
        Require(ModelType == "bert", $"model_type '{ModelType}' is not supported (expected 'bert')");
        Require(VocabSize > 0, "vocab_size must be positive");
        Require(HiddenSize > 0 && NumHeads > 0 && HiddenSize % NumHeads == 0, "hidden_size must be a positive multiple of num_attention_heads");
        Require(NumLayers > 0, "num_hidden_layers must be positive");
        Require(IntermediateSize > 0, "intermediate_size must be positive");
        // HF's "gelu" is the exact erf form; the tanh approximation ("gelu_new", …) would shift every embedding.
        Require(HiddenAct == "gelu", $"hidden_act '{HiddenAct}' is not supported (expected 'gelu')");
        Require(MaxPositions > 0, "max_position_embeddings must be positive");
        Require(TypeVocabSize > 0, "type_vocab_size must be positive");
        Require(LayerNormEps > 0, "layer_norm_eps must be positive");
        Require(PositionEmbeddingType == "absolute", $"position_embedding_type '{PositionEmbeddingType}' is not supported (expected 'absolute')");
        Require(HiddenDropout is >= 0 and < 1 && AttentionDropout is >= 0 and < 1 && ClassifierDropout is null or (>= 0 and < 1),
            "dropout probabilities must lie in [0, 1)");
        Require(Id2Label is null || (Id2Label.Count > 0 && Enumerable.Range(0, Id2Label.Count).All(i => Id2Label.ContainsKey(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            "id2label must map every class index 0..n-1 (as strings) to a name");
        Require(HookLayer is null || (HookLayer >= 0 && HookLayer <= NumLayers), $"{EncoderHook.LayerKey} must lie in 0..{NumLayers}");
        Require(HookToken is null || EncoderHook.Tokens.Contains(HookToken),
            $"{EncoderHook.TokenKey} '{HookToken}' is not supported (expected {string.Join(" or ", EncoderHook.Tokens)})");
    }

    [JsonIgnore] public EncoderHook Hook => new(HookLayer ?? NumLayers, HookToken ?? EncoderHook.Cls);

    /// <summary>The class names in index order, from id2label (null when the config has none).</summary>
    [JsonIgnore] public IReadOnlyList<string>? ClassNames =>
        Id2Label is null ? null : Enumerable.Range(0, Id2Label.Count).Select(i => Id2Label[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ToList();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static BertConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model config not found", path);
        BertConfig? cfg;
        try { cfg = JsonSerializer.Deserialize<BertConfig>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})"); }
        if (cfg is null) throw new InvalidDataException($"{path}: empty config.json");
        cfg.Validate(path);
        return cfg;
    }
}

using ClassifSae.Backbones.SequenceClassifiers;
using System.Text.Json.Serialization;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// The architecture fields of a Hugging Face BERT <c>config.json</c> (all-MiniLM-L6-v2: 6 layers, 384 wide,
/// 12 heads). Property names follow the HF keys; anything our <see cref="BertModel"/> does not implement
/// (another model_type, activation or position embedding) is rejected rather than silently approximated.
/// </summary>
public sealed record BertConfig : EncoderConfig
{
    public const string FileName = "config.json";

    public BertConfig() : base(modelType: "bert", maxPositions: 0, typeVocabSize: 2, layerNormEps: 1e-12, padTokenId: 0) { }

    [JsonPropertyName("position_embedding_type")] public string PositionEmbeddingType { get; init; } = "absolute";
    /// <summary>Dropout before the classification head; null means <see cref="EncoderConfig.HiddenDropout"/>, as in HF.</summary>
    [JsonPropertyName("classifier_dropout")] public double? ClassifierDropout { get; init; }
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("architectures")] public List<string>? Architectures { get; init; }

    [JsonIgnore] public int HeadDim => HiddenSize / NumHeads;

    protected override void ValidateFamily(string source, Action<bool, string> require)
    {
        require(MaxPositions > 0, "max_position_embeddings must be positive");
        require(TypeVocabSize > 0, "type_vocab_size must be positive");
        require(PositionEmbeddingType == "absolute", $"position_embedding_type '{PositionEmbeddingType}' is not supported (expected 'absolute')");
        require(HiddenDropout is >= 0 and < 1 && AttentionDropout is >= 0 and < 1 && ClassifierDropout is null or (>= 0 and < 1),
            "dropout probabilities must lie in [0, 1)");
        // A BERT folder may name one class or none (a plain BertModel); RoBERTa and DeBERTa read id2label with ClassLabels.
        require(Id2Label is null || (Id2Label.Count > 0 && Enumerable.Range(0, Id2Label.Count).All(i => Id2Label.ContainsKey(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            "id2label must map every class index 0..n-1 (as strings) to a name");
        require(HookLayer is null || (HookLayer >= 0 && HookLayer <= NumLayers), $"{EncoderHook.LayerKey} must lie in 0..{NumLayers}");
        require(HookToken is null || EncoderHook.Tokens.Contains(HookToken),
            $"{EncoderHook.TokenKey} '{HookToken}' is not supported (expected {string.Join(" or ", EncoderHook.Tokens)})");
    }

    /// <summary>The class names in index order, from id2label (null when the config has none).</summary>
    [JsonIgnore] public IReadOnlyList<string>? ClassNames =>
        Id2Label is null ? null : Enumerable.Range(0, Id2Label.Count).Select(i => Id2Label[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ToList();

    public string ToJson() => Serialize(this);

    public static BertConfig Load(string path) => LoadValidated<BertConfig>(path);
}

using System.Text.Json.Serialization;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Backbones.Bert;

namespace ClassifSae.Backbones.Roberta;

/// <summary>
/// The fields of a Hugging Face RoBERTa <c>config.json</c> that <see cref="RobertaForSequenceClassification"/> reads
/// (roberta-base: 12 layers, 768 wide, max_position_embeddings 514 = 512 tokens + pad_token_id + 1, type_vocab_size 1).
/// Property names follow the HF keys so transformers reads the files we save.
/// </summary>
public sealed record RobertaConfig : EncoderConfig
{
    public RobertaConfig() : base(modelType: "roberta", maxPositions: 514, typeVocabSize: 1, layerNormEps: 1e-5, padTokenId: 1) { }

    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["RobertaForSequenceClassification"];
    [JsonPropertyName("classifier_dropout")] public double? ClassifierDropout { get; init; }
    [JsonPropertyName("position_embedding_type")] public string PositionEmbeddingType { get; init; } = "absolute";
    [JsonPropertyName("bos_token_id")] public int BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public int EosTokenId { get; init; } = 2;
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    [JsonIgnore] public string[] ClassNames => ClassLabels.Names(Id2Label, "config.json");
    [JsonIgnore] public int NumLabels => ClassNames.Length;

    /// <summary>The BERT block settings: RoBERTa's layers are BERT's, state-dict names included.</summary>
    [JsonIgnore]
    public BertConfig Blocks => new()
    {
        VocabSize = VocabSize, HiddenSize = HiddenSize, NumLayers = NumLayers, NumHeads = NumHeads, IntermediateSize = IntermediateSize,
        HiddenAct = HiddenAct, MaxPositions = MaxPositions, TypeVocabSize = TypeVocabSize, LayerNormEps = LayerNormEps,
        HiddenDropout = HiddenDropout, AttentionDropout = AttentionDropout,
    };

    protected override void ValidateFamily(string source, Action<bool, string> require)
    {
        require(PositionEmbeddingType == "absolute", $"position_embedding_type '{PositionEmbeddingType}' is not supported (expected 'absolute')");
        RequirePadInVocabulary(require);
        require(MaxPositions > PadTokenId + 1, $"max_position_embeddings {MaxPositions} leaves no position after pad_token_id + 1");
        require(TypeVocabSize > 0, "type_vocab_size must be positive");
        RequireClassLabelsAndHook(source, require);
    }

    /// <summary>The longest sequence: positions start at pad_token_id + 1.</summary>
    [JsonIgnore] public int MaxLength => MaxPositions - PadTokenId - 1;

    public string ToJson() => SerializeWithClassLabels();

    public static RobertaConfig Load(string path) => LoadValidated<RobertaConfig>(path);
}

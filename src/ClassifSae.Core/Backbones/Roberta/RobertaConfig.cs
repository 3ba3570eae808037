using System.Text.Json;
using System.Text.Json.Serialization;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Backbones.Bert;

namespace ClassifSae.Backbones.Roberta;

/// <summary>
/// The fields of a Hugging Face RoBERTa <c>config.json</c> that <see cref="RobertaForSequenceClassification"/> reads
/// (roberta-base: 12 layers, 768 wide, max_position_embeddings 514 = 512 tokens + pad_token_id + 1, type_vocab_size 1).
/// Property names follow the HF keys so transformers reads the files we save.
/// </summary>
public sealed record RobertaConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "roberta";
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["RobertaForSequenceClassification"];
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; } = 514;
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 1;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-5;
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropout { get; init; } = 0.1;
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionDropout { get; init; } = 0.1;
    [JsonPropertyName("classifier_dropout")] public double? ClassifierDropout { get; init; }
    [JsonPropertyName("position_embedding_type")] public string PositionEmbeddingType { get; init; } = "absolute";
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; } = 1;
    [JsonPropertyName("bos_token_id")] public int BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public int EosTokenId { get; init; } = 2;
    [JsonPropertyName("id2label")] public Dictionary<string, string>? Id2Label { get; init; }
    [JsonPropertyName("label2id")] public Dictionary<string, int>? Label2Id { get; init; }
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";
    [JsonPropertyName(EncoderHookSetting.LayerKey)] public int? HookLayer { get; init; }
    [JsonPropertyName(EncoderHookSetting.TokenKey)] public string? HookToken { get; init; }

    [JsonIgnore] public string[] ClassNames => ClassLabels.Names(Id2Label, "config.json");
    [JsonIgnore] public int NumLabels => ClassNames.Length;

    /// <summary>Upstream's encoder rule (spec 04 §0.3): the last layer's output is cached.</summary>
    [JsonIgnore] public BackboneShape Shape => new(ModelType, VocabSize, HiddenSize, NumLayers, HookLayer ?? NumLayers, EncoderHookSetting.HookName(HookLayer ?? NumLayers, HookToken));

    /// <summary>The BERT block settings: RoBERTa's layers are BERT's, state-dict names included.</summary>
    [JsonIgnore]
    public BertConfig Blocks => new()
    {
        VocabSize = VocabSize, HiddenSize = HiddenSize, NumLayers = NumLayers, NumHeads = NumHeads, IntermediateSize = IntermediateSize,
        HiddenAct = HiddenAct, MaxPositions = MaxPositions, TypeVocabSize = TypeVocabSize, LayerNormEps = LayerNormEps,
        HiddenDropout = HiddenDropout, AttentionDropout = AttentionDropout,
    };

    public void Validate(string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"{source}: {what}");
        }
        Require(ModelType == "roberta", $"model_type '{ModelType}' is not supported (expected 'roberta')");
        Require(VocabSize > 0, "vocab_size must be positive");
        Require(HiddenSize > 0 && NumHeads > 0 && HiddenSize % NumHeads == 0, "hidden_size must be a positive multiple of num_attention_heads");
        Require(NumLayers > 0, "num_hidden_layers must be positive");
        Require(IntermediateSize > 0, "intermediate_size must be positive");
        Require(HiddenAct == "gelu", $"hidden_act '{HiddenAct}' is not supported (expected 'gelu')");
        Require(PositionEmbeddingType == "absolute", $"position_embedding_type '{PositionEmbeddingType}' is not supported (expected 'absolute')");
        Require(PadTokenId >= 0 && PadTokenId < VocabSize, $"pad_token_id {PadTokenId} is outside the vocabulary");
        Require(MaxPositions > PadTokenId + 1, $"max_position_embeddings {MaxPositions} leaves no position after pad_token_id + 1");
        Require(TypeVocabSize > 0, "type_vocab_size must be positive");
        Require(LayerNormEps > 0, "layer_norm_eps must be positive");
        _ = ClassLabels.Names(Id2Label, source);
        EncoderHookSetting.Validate(HookLayer, HookToken, NumLayers, Require);
    }

    /// <summary>The longest sequence: positions start at pad_token_id + 1.</summary>
    [JsonIgnore] public int MaxLength => MaxPositions - PadTokenId - 1;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this with { Id2Label = Id2Label ?? ClassLabels.Default(2), Label2Id = ClassLabels.Label2Id(ClassNames) }, JsonOptions);

    public static RobertaConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model config not found", path);
        RobertaConfig? cfg;
        try { cfg = JsonSerializer.Deserialize<RobertaConfig>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})"); }
        if (cfg is null) throw new InvalidDataException($"{path}: empty config.json");
        cfg.Validate(path);
        return cfg;
    }
}

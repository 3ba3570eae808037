using System.Text.Json;
using System.Text.Json.Serialization;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Backbones.Bert;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// The fields of a Hugging Face DeBERTa-v2/v3 <c>config.json</c> that <see cref="DebertaV2ForSequenceClassification"/> reads
/// (spec 04 §3.7.5; deberta-v3: relative_attention, position_buckets 256, share_att_key, pos_att_type "p2c|c2p",
/// norm_rel_ebd "layer_norm", position_biased_input false, type_vocab_size 0). Defaults are transformers' DebertaV2Config ones.
/// </summary>
public sealed record DebertaV2Config
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "deberta-v2";
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["DebertaV2ForSequenceClassification"];
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropout { get; init; } = 0.1;
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionDropout { get; init; } = 0.1;
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; } = 512;
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; }
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-7;
    [JsonPropertyName("relative_attention")] public bool RelativeAttention { get; init; }
    [JsonPropertyName("max_relative_positions")] public int MaxRelativePositions { get; init; } = -1;
    [JsonPropertyName("position_buckets")] public int PositionBuckets { get; init; } = -1;
    [JsonPropertyName("position_biased_input")] public bool PositionBiasedInput { get; init; } = true;
    [JsonPropertyName("pos_att_type"), JsonConverter(typeof(PipeSeparatedList))] public string[] PosAttType { get; init; } = [];
    [JsonPropertyName("share_att_key")] public bool ShareAttKey { get; init; }
    [JsonPropertyName("norm_rel_ebd")] public string NormRelEbd { get; init; } = "none";
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }
    [JsonPropertyName("pooler_hidden_size")] public int? PoolerHiddenSize { get; init; }
    [JsonPropertyName("pooler_hidden_act")] public string PoolerHiddenAct { get; init; } = "gelu";
    [JsonPropertyName("pooler_dropout")] public double PoolerDropout { get; init; }
    [JsonPropertyName("cls_dropout")] public double? ClsDropout { get; init; }
    [JsonPropertyName("embedding_size")] public int? EmbeddingSize { get; init; }
    [JsonPropertyName("attention_head_size")] public int? AttentionHeadSize { get; init; }
    [JsonPropertyName("conv_kernel_size")] public int ConvKernelSize { get; init; }
    [JsonPropertyName("id2label")] public Dictionary<string, string>? Id2Label { get; init; }
    [JsonPropertyName("label2id")] public Dictionary<string, int>? Label2Id { get; init; }
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";
    [JsonPropertyName(EncoderHookSetting.LayerKey)] public int? HookLayer { get; init; }
    [JsonPropertyName(EncoderHookSetting.TokenKey)] public string? HookToken { get; init; }

    [JsonIgnore] public string[] ClassNames => ClassLabels.Names(Id2Label, "config.json");
    [JsonIgnore] public int NumLabels => ClassNames.Length;
    [JsonIgnore] public int HeadSize => AttentionHeadSize ?? HiddenSize / NumHeads;
    [JsonIgnore] public int PoolerSize => PoolerHiddenSize ?? HiddenSize;
    [JsonIgnore] public bool C2P => PosAttType.Contains("c2p");
    [JsonIgnore] public bool P2C => PosAttType.Contains("p2c");

    /// <summary>transformers: max_relative_positions &lt; 1 means max_position_embeddings.</summary>
    [JsonIgnore] public int RelativeRange => MaxRelativePositions < 1 ? MaxPositions : MaxRelativePositions;

    /// <summary>Half the rows of rel_embeddings (the attention's att_span): position_buckets when bucketing, else the relative range.</summary>
    [JsonIgnore] public int AttentionSpan => PositionBuckets > 0 ? PositionBuckets : RelativeRange;

    [JsonIgnore] public bool NormalizeRelativeEmbeddings => NormRelEbd.ToLowerInvariant().Split('|').Select(s => s.Trim()).Contains("layer_norm");

    [JsonIgnore] public BackboneShape Shape => new(ModelType, VocabSize, HiddenSize, NumLayers, HookLayer ?? NumLayers, EncoderHookSetting.HookName(HookLayer ?? NumLayers, HookToken));

    /// <summary>The feed-forward and residual-output settings, shared with BERT's blocks (same state-dict names).</summary>
    [JsonIgnore]
    public BertConfig Blocks => new()
    {
        VocabSize = VocabSize, HiddenSize = HiddenSize, NumLayers = NumLayers, NumHeads = NumHeads, IntermediateSize = IntermediateSize,
        HiddenAct = HiddenAct, MaxPositions = MaxPositions, LayerNormEps = LayerNormEps,
        HiddenDropout = HiddenDropout, AttentionDropout = AttentionDropout,
    };

    public void Validate(string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"{source}: {what}");
        }
        Require(ModelType == "deberta-v2", $"model_type '{ModelType}' is not supported (expected 'deberta-v2')");
        Require(VocabSize > 0, "vocab_size must be positive");
        Require(HiddenSize > 0 && NumHeads > 0, "hidden_size and num_attention_heads must be positive");
        Require(AttentionHeadSize is not null || HiddenSize % NumHeads == 0, "hidden_size must be a multiple of num_attention_heads");
        Require(HeadSize > 0, "attention_head_size must be positive");
        Require(NumLayers > 0, "num_hidden_layers must be positive");
        Require(IntermediateSize > 0, "intermediate_size must be positive");
        Require(HiddenAct == "gelu", $"hidden_act '{HiddenAct}' is not supported (expected 'gelu')");
        Require(PoolerHiddenAct == "gelu", $"pooler_hidden_act '{PoolerHiddenAct}' is not supported (expected 'gelu')");
        Require(MaxPositions > 0, "max_position_embeddings must be positive");
        Require(TypeVocabSize >= 0, "type_vocab_size must be >= 0");
        Require(LayerNormEps > 0, "layer_norm_eps must be positive");
        Require(PosAttType.All(t => t is "c2p" or "p2c"), $"pos_att_type [{string.Join(", ", PosAttType)}] is not supported (expected c2p and/or p2c)");
        Require(!RelativeAttention || PositionBuckets <= 0 || PositionBuckets >= 2, "position_buckets must be >= 2 when set");
        Require(EmbeddingSize is null || EmbeddingSize == HiddenSize, $"embedding_size {EmbeddingSize} differs from hidden_size (embed_proj is not supported)");
        Require(ConvKernelSize <= 0, "conv_kernel_size > 0 (the convolution layer) is not supported");
        Require(PadTokenId >= 0 && PadTokenId < VocabSize, $"pad_token_id {PadTokenId} is outside the vocabulary");
        _ = ClassLabels.Names(Id2Label, source);
        EncoderHookSetting.Validate(HookLayer, HookToken, NumLayers, Require);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this with { Id2Label = Id2Label ?? ClassLabels.Default(2), Label2Id = ClassLabels.Label2Id(ClassNames) }, JsonOptions);

    public static DebertaV2Config Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model config not found", path);
        DebertaV2Config? cfg;
        try { cfg = JsonSerializer.Deserialize<DebertaV2Config>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})"); }
        if (cfg is null) throw new InvalidDataException($"{path}: empty config.json");
        cfg.Validate(path);
        return cfg;
    }

    /// <summary>pos_att_type as the hub writes it ("p2c|c2p") or as transformers saves it (["p2c", "c2p"]); written as a list.</summary>
    private sealed class PipeSeparatedList : JsonConverter<string[]>
    {
        public override string[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!.ToLowerInvariant().Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            JsonTokenType.Null => [],
            _ => JsonSerializer.Deserialize<string[]>(ref reader)!.Select(s => s.Trim().ToLowerInvariant()).ToArray(),
        };

        public override void Write(Utf8JsonWriter writer, string[] value, JsonSerializerOptions options) => JsonSerializer.Serialize(writer, value);
    }
}

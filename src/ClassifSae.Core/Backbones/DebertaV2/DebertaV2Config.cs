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
public sealed record DebertaV2Config : EncoderConfig
{
    public DebertaV2Config() : base(modelType: "deberta-v2", maxPositions: 512, typeVocabSize: 0, layerNormEps: 1e-7, padTokenId: 0) { }

    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["DebertaV2ForSequenceClassification"];
    [JsonPropertyName("relative_attention")] public bool RelativeAttention { get; init; }
    [JsonPropertyName("max_relative_positions")] public int MaxRelativePositions { get; init; } = -1;
    [JsonPropertyName("position_buckets")] public int PositionBuckets { get; init; } = -1;
    [JsonPropertyName("position_biased_input")] public bool PositionBiasedInput { get; init; } = true;
    [JsonPropertyName("pos_att_type"), JsonConverter(typeof(PipeSeparatedList))] public string[] PosAttType { get; init; } = [];
    [JsonPropertyName("share_att_key")] public bool ShareAttKey { get; init; }
    [JsonPropertyName("norm_rel_ebd")] public string NormRelEbd { get; init; } = "none";
    [JsonPropertyName("pooler_hidden_size")] public int? PoolerHiddenSize { get; init; }
    [JsonPropertyName("pooler_hidden_act")] public string PoolerHiddenAct { get; init; } = "gelu";
    [JsonPropertyName("pooler_dropout")] public double PoolerDropout { get; init; }
    [JsonPropertyName("cls_dropout")] public double? ClsDropout { get; init; }
    [JsonPropertyName("embedding_size")] public int? EmbeddingSize { get; init; }
    [JsonPropertyName("attention_head_size")] public int? AttentionHeadSize { get; init; }
    [JsonPropertyName("conv_kernel_size")] public int ConvKernelSize { get; init; }
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

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

    /// <summary>The feed-forward and residual-output settings, shared with BERT's blocks (same state-dict names).</summary>
    [JsonIgnore]
    public BertConfig Blocks => new()
    {
        VocabSize = VocabSize, HiddenSize = HiddenSize, NumLayers = NumLayers, NumHeads = NumHeads, IntermediateSize = IntermediateSize,
        HiddenAct = HiddenAct, MaxPositions = MaxPositions, LayerNormEps = LayerNormEps,
        HiddenDropout = HiddenDropout, AttentionDropout = AttentionDropout,
    };

    /// <summary>attention_head_size, when given, frees hidden_size from being a multiple of the heads.</summary>
    protected override void ValidateHeads(Action<bool, string> require)
    {
        require(HiddenSize > 0 && NumHeads > 0, "hidden_size and num_attention_heads must be positive");
        require(AttentionHeadSize is not null || HiddenSize % NumHeads == 0, "hidden_size must be a multiple of num_attention_heads");
        require(HeadSize > 0, "attention_head_size must be positive");
    }

    protected override void ValidateFamily(string source, Action<bool, string> require)
    {
        require(PoolerHiddenAct == "gelu", $"pooler_hidden_act '{PoolerHiddenAct}' is not supported (expected 'gelu')");
        require(MaxPositions > 0, "max_position_embeddings must be positive");
        require(TypeVocabSize >= 0, "type_vocab_size must be >= 0");
        require(PosAttType.All(t => t is "c2p" or "p2c"), $"pos_att_type [{string.Join(", ", PosAttType)}] is not supported (expected c2p and/or p2c)");
        require(!RelativeAttention || PositionBuckets <= 0 || PositionBuckets >= 2, "position_buckets must be >= 2 when set");
        require(EmbeddingSize is null || EmbeddingSize == HiddenSize, $"embedding_size {EmbeddingSize} differs from hidden_size (embed_proj is not supported)");
        require(ConvKernelSize <= 0, "conv_kernel_size > 0 (the convolution layer) is not supported");
        RequirePadInVocabulary(require);
        RequireClassLabelsAndHook(source, require);
    }

    public string ToJson() => SerializeWithClassLabels();

    public static DebertaV2Config Load(string path) => LoadValidated<DebertaV2Config>(path);

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

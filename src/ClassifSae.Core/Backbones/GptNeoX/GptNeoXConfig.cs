using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>
/// The architecture fields of a Hugging Face GPT-NeoX <c>config.json</c> that Pythia uses. Property
/// names follow the HF keys so the same file is read by transformers and by us.
/// </summary>
public sealed record GptNeoXConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "gpt_neox";
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["GPTNeoXForCausalLM"];
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("rotary_pct")] public double RotaryPct { get; init; } = 0.25;
    [JsonPropertyName("rotary_emb_base")] public double RotaryBase { get; init; } = 10000;
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; } = 2048;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-5;
    [JsonPropertyName("use_parallel_residual")] public bool UseParallelResidual { get; init; } = true;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; } = true;
    [JsonPropertyName("bos_token_id")] public int BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public int EosTokenId { get; init; }
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    [JsonIgnore] public int HeadDim => HiddenSize / NumHeads;
    [JsonIgnore] public int RotaryDims => (int)(HeadDim * RotaryPct);

    /// <summary>The hook layer of the paper: the residual stream entering the last block.</summary>
    [JsonIgnore] public int DecisionHookLayer => NumLayers - 1;

    [JsonIgnore] public BackboneShape Shape => new(ModelType, VocabSize, HiddenSize, NumLayers, DecisionHookLayer, $"blocks.{DecisionHookLayer}.hook_resid_pre");

    public void Validate(string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"{source}: {what}");
        }
        Require(ModelType == "gpt_neox", $"model_type '{ModelType}' is not supported (expected 'gpt_neox')");
        Require(VocabSize > 0, "vocab_size must be positive");
        Require(HiddenSize > 0 && NumHeads > 0 && HiddenSize % NumHeads == 0, "hidden_size must be a positive multiple of num_attention_heads");
        Require(NumLayers > 0, "num_hidden_layers must be positive");
        Require(IntermediateSize > 0, "intermediate_size must be positive");
        Require(RotaryPct is > 0 and <= 1, "rotary_pct must be in (0, 1]");
        Require(RotaryDims % 2 == 0, $"rotary dims ({RotaryDims}) must be even");
        Require(HiddenAct is "gelu", $"hidden_act '{HiddenAct}' is not supported (expected 'gelu')");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>A GPT-NeoX of <paramref name="shape"/>'s sizes initialised from <paramref name="seed"/> (the registry's scratch builder).</summary>
    public static IClassifierBackbone Scratch(ScratchShape shape, long seed) => GptNeoXForCausalLM.Random(new GptNeoXConfig
    {
        VocabSize = shape.VocabSize, HiddenSize = shape.HiddenSize, NumLayers = shape.NumLayers, NumHeads = shape.NumHeads,
        IntermediateSize = shape.IntermediateSize, RotaryPct = shape.RotaryPct, MaxPositions = shape.MaxPositions,
    }, seed);

    public static GptNeoXConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model config not found", path);
        GptNeoXConfig? cfg;
        try { cfg = JsonSerializer.Deserialize<GptNeoXConfig>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})"); }
        if (cfg is null) throw new InvalidDataException($"{path}: empty config.json");
        cfg.Validate(path);
        return cfg;
    }
}

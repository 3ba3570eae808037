using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClassifSae.Backbones.Llama;

/// <summary>
/// The architecture fields of a Hugging Face <c>config.json</c> of the Llama-shaped families (model_type <c>llama</c>,
/// <c>mistral</c>, <c>qwen2</c>): one record, since they share the block. Property names are the HF keys, so transformers
/// reads what we save. Family differences: Qwen2 always has q/k/v biases; Mistral's <c>sliding_window</c> limits attention;
/// Llama's <c>attention_bias</c>/<c>mlp_bias</c> add biases.
/// </summary>
public sealed record LlamaConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("architectures")] public string[]? Architectures { get; init; }
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; }
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeadsRaw { get; init; }
    [JsonPropertyName("head_dim")] public int? HeadDimRaw { get; init; }
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000;
    [JsonPropertyName("rope_scaling")] public RopeScaling? RopeScaling { get; init; }
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; } = 2048;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("sliding_window")] public int? SlidingWindowRaw { get; init; }
    [JsonPropertyName("use_sliding_window")] public bool UseSlidingWindow { get; init; }
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public JsonElement? EosTokenId { get; init; }
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    public const string Llama = "llama", Mistral = "mistral", Qwen2 = "qwen2";

    [JsonIgnore] public int NumKeyValueHeads => NumKeyValueHeadsRaw ?? NumHeads;
    [JsonIgnore] public int HeadDim => HeadDimRaw ?? HiddenSize / NumHeads;

    /// <summary>q/k/v projections carry biases: always in Qwen2, with <c>attention_bias</c> in Llama.</summary>
    [JsonIgnore] public bool QkvBias => ModelType == Qwen2 || AttentionBias;

    /// <summary>The output projection carries a bias: Llama's <c>attention_bias</c> only (Qwen2's o_proj has none).</summary>
    [JsonIgnore] public bool OutputBias => ModelType == Llama && AttentionBias;

    /// <summary>Mistral's window (transformers applies it by column distance: a token sees itself and the W − 1 before it).</summary>
    [JsonIgnore] public int? SlidingWindow => ModelType == Mistral ? SlidingWindowRaw : null;

    /// <summary>Llama and Mistral tokenizers put BOS in front (add_special_tokens=True, spec 04 §2.1); Qwen2's add none.</summary>
    [JsonIgnore] public int? PromptBos => ModelType == Qwen2 ? null : BosTokenId;

    /// <summary>The hook layer of the paper: the residual stream entering the last block.</summary>
    [JsonIgnore] public int DecisionHookLayer => NumLayers - 1;

    [JsonIgnore] public BackboneShape Shape => new(ModelType, VocabSize, HiddenSize, NumLayers, DecisionHookLayer, $"blocks.{DecisionHookLayer}.hook_resid_pre");

    public void Validate(string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"{source}: {what}");
        }
        Require(ModelType is Llama or Mistral or Qwen2, $"model_type '{ModelType}' is not supported (expected '{Llama}', '{Mistral}' or '{Qwen2}')");
        Require(VocabSize > 0, "vocab_size must be positive");
        Require(HiddenSize > 0 && NumHeads > 0, "hidden_size and num_attention_heads must be positive");
        Require(HeadDimRaw is not null || HiddenSize % NumHeads == 0, "hidden_size must be a multiple of num_attention_heads (or head_dim given)");
        Require(HeadDim > 0 && HeadDim % 2 == 0, $"head_dim ({HeadDim}) must be positive and even");
        Require(NumKeyValueHeads > 0 && NumHeads % NumKeyValueHeads == 0,
            $"num_attention_heads ({NumHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads})");
        Require(NumLayers > 0, "num_hidden_layers must be positive");
        Require(IntermediateSize > 0, "intermediate_size must be positive");
        Require(RmsNormEps > 0 && RopeTheta > 0, "rms_norm_eps and rope_theta must be positive");
        Require(HiddenAct is "silu", $"hidden_act '{HiddenAct}' is not supported (expected 'silu')");
        Require(SlidingWindowRaw is null or > 0, "sliding_window must be positive or null");
        Require(!(ModelType == Qwen2 && UseSlidingWindow), "use_sliding_window=true is not supported for qwen2 (its per-layer window rule is not implemented)");
        if (RopeScaling is { } s)
        {
            Require(s.Kind is "default" or "llama3", $"rope_scaling type '{s.Kind}' is not supported (expected 'llama3' or none)");
            if (s.Kind == "llama3")
                Require(s.Factor > 0 && s.LowFreqFactor > 0 && s.HighFreqFactor > s.LowFreqFactor && s.OriginalMaxPositions > 0,
                    "rope_scaling llama3 needs factor > 0, 0 < low_freq_factor < high_freq_factor and original_max_position_embeddings > 0");
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this with { Architectures = Architectures ?? [DefaultArchitecture(ModelType)] }, JsonOptions);

    public static string DefaultArchitecture(string modelType) => modelType switch
    {
        Mistral => "MistralForCausalLM",
        Qwen2 => "Qwen2ForCausalLM",
        _ => "LlamaForCausalLM",
    };

    /// <summary>A random Llama of the given sizes (profile models with <c>family: llama</c>, <c>source: scratch</c>): no GQA, no BOS, no rope scaling.</summary>
    public static IClassifierBackbone Scratch(ScratchShape shape, long seed) => LlamaForCausalLM.Random(new LlamaConfig
    {
        VocabSize = shape.VocabSize, HiddenSize = shape.HiddenSize, NumLayers = shape.NumLayers, NumHeads = shape.NumHeads,
        IntermediateSize = shape.IntermediateSize, MaxPositions = shape.MaxPositions, RmsNormEps = 1e-5,
    }, seed);

    public static LlamaConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model config not found", path);
        LlamaConfig? cfg;
        try { cfg = JsonSerializer.Deserialize<LlamaConfig>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})"); }
        if (cfg is null) throw new InvalidDataException($"{path}: empty config.json");
        cfg.Validate(path);
        return cfg;
    }
}

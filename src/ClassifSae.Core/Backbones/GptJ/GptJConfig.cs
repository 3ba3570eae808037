using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClassifSae.Backbones.GptJ;

/// <summary>The architecture fields of a Hugging Face GPT-J <c>config.json</c> (model_type <c>gptj</c>); names are the HF keys.</summary>
public sealed record GptJConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "gptj";
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["GPTJForCausalLM"];
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("n_embd")] public int HiddenSize { get; init; }
    [JsonPropertyName("n_layer")] public int NumLayers { get; init; }
    [JsonPropertyName("n_head")] public int NumHeads { get; init; }
    [JsonPropertyName("n_inner")] public int? InnerRaw { get; init; }
    [JsonPropertyName("rotary_dim")] public int? RotaryDimRaw { get; init; }
    [JsonPropertyName("n_positions")] public int MaxPositions { get; init; } = 2048;
    [JsonPropertyName("layer_norm_epsilon")] public double LayerNormEps { get; init; } = 1e-5;
    [JsonPropertyName("activation_function")] public string Activation { get; init; } = "gelu_new";
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("bos_token_id")] public int BosTokenId { get; init; } = 50256;
    [JsonPropertyName("eos_token_id")] public int EosTokenId { get; init; } = 50256;
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    [JsonIgnore] public int HeadDim => HiddenSize / NumHeads;
    [JsonIgnore] public int IntermediateSize => InnerRaw ?? 4 * HiddenSize;
    /// <summary>Rotated dims at the start of each head (transformers: the whole head when rotary_dim is null).</summary>
    [JsonIgnore] public int RotaryDim => RotaryDimRaw ?? HeadDim;
    [JsonIgnore] public int DecisionHookLayer => NumLayers - 1;
    [JsonIgnore] public BackboneShape Shape => new(ModelType, VocabSize, HiddenSize, NumLayers, DecisionHookLayer, $"blocks.{DecisionHookLayer}.hook_resid_pre");

    public void Validate(string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"{source}: {what}");
        }
        Require(ModelType == "gptj", $"model_type '{ModelType}' is not supported (expected 'gptj')");
        Require(VocabSize > 0, "vocab_size must be positive");
        Require(HiddenSize > 0 && NumHeads > 0 && HiddenSize % NumHeads == 0, "n_embd must be a positive multiple of n_head");
        Require(NumLayers > 0, "n_layer must be positive");
        Require(IntermediateSize > 0, "n_inner must be positive");
        Require(RotaryDim > 0 && RotaryDim <= HeadDim && RotaryDim % 2 == 0, $"rotary_dim ({RotaryDim}) must be even and in 1..{HeadDim} (the head size)");
        Require(Activation is "gelu_new", $"activation_function '{Activation}' is not supported (expected 'gelu_new')");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static GptJConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model config not found", path);
        GptJConfig? cfg;
        try { cfg = JsonSerializer.Deserialize<GptJConfig>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})"); }
        if (cfg is null) throw new InvalidDataException($"{path}: empty config.json");
        cfg.Validate(path);
        return cfg;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClassifSae.Backbones.SequenceClassifiers;

/// <summary>
/// The Hugging Face <c>config.json</c> keys that the BERT, RoBERTa and DeBERTa-v2 configs share, with their checks and
/// file I/O. transformers' defaults differ per family (e.g. RoBERTa: pad_token_id 1, max_position_embeddings 514), so
/// each family's record passes its own to the constructor and adds its own keys; a check that differs stays there.
/// </summary>
public abstract record EncoderConfig
{
    private readonly string _family;

    protected EncoderConfig(string modelType, int maxPositions, int typeVocabSize, double layerNormEps, int padTokenId)
    {
        _family = modelType;
        ModelType = modelType;
        MaxPositions = maxPositions;
        TypeVocabSize = typeVocabSize;
        LayerNormEps = layerNormEps;
        PadTokenId = padTokenId;
    }

    /// <summary>Written first; the family's own keys (order 0) follow, then the classifier keys.</summary>
    private const int ArchitectureKeys = -1;
    private const int ClassifierKeys = 1;

    [JsonPropertyName("model_type"), JsonPropertyOrder(ArchitectureKeys)] public string ModelType { get; init; }
    [JsonPropertyName("vocab_size"), JsonPropertyOrder(ArchitectureKeys)] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size"), JsonPropertyOrder(ArchitectureKeys)] public int HiddenSize { get; init; }
    [JsonPropertyName("num_hidden_layers"), JsonPropertyOrder(ArchitectureKeys)] public int NumLayers { get; init; }
    [JsonPropertyName("num_attention_heads"), JsonPropertyOrder(ArchitectureKeys)] public int NumHeads { get; init; }
    [JsonPropertyName("intermediate_size"), JsonPropertyOrder(ArchitectureKeys)] public int IntermediateSize { get; init; }
    [JsonPropertyName("hidden_act"), JsonPropertyOrder(ArchitectureKeys)] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("max_position_embeddings"), JsonPropertyOrder(ArchitectureKeys)] public int MaxPositions { get; init; }
    [JsonPropertyName("type_vocab_size"), JsonPropertyOrder(ArchitectureKeys)] public int TypeVocabSize { get; init; }
    [JsonPropertyName("layer_norm_eps"), JsonPropertyOrder(ArchitectureKeys)] public double LayerNormEps { get; init; }
    [JsonPropertyName("hidden_dropout_prob"), JsonPropertyOrder(ArchitectureKeys)] public double HiddenDropout { get; init; } = 0.1;
    [JsonPropertyName("attention_probs_dropout_prob"), JsonPropertyOrder(ArchitectureKeys)] public double AttentionDropout { get; init; } = 0.1;
    [JsonPropertyName("pad_token_id"), JsonPropertyOrder(ArchitectureKeys)] public int PadTokenId { get; init; }
    /// <summary>Class index (as a string, HF's JSON form) → class name, for sequence classifiers.</summary>
    [JsonPropertyName("id2label"), JsonPropertyOrder(ClassifierKeys)] public Dictionary<string, string>? Id2Label { get; init; }
    [JsonPropertyName("label2id"), JsonPropertyOrder(ClassifierKeys)] public Dictionary<string, int>? Label2Id { get; init; }
    /// <summary>Where our pipeline reads the decision state (absent: [CLS] after the last layer, as upstream).</summary>
    [JsonPropertyName(EncoderHook.LayerKey), JsonPropertyOrder(ClassifierKeys)] public int? HookLayer { get; init; }
    [JsonPropertyName(EncoderHook.TokenKey), JsonPropertyOrder(ClassifierKeys)] public string? HookToken { get; init; }

    [JsonIgnore] public EncoderHook Hook => new(HookLayer ?? NumLayers, HookToken ?? EncoderHook.Cls);

    /// <summary>Upstream's encoder rule (spec 04 §0.3): the last layer's output is cached unless the hook keys say otherwise.</summary>
    [JsonIgnore] public BackboneShape Shape => new(ModelType, VocabSize, HiddenSize, NumLayers, Hook.Layer, Hook.HookName);

    /// <summary>Throws a one-line <see cref="InvalidDataException"/> naming <paramref name="source"/> and the key.</summary>
    public void Validate(string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"{source}: {what}");
        }
        Require(ModelType == _family, $"model_type '{ModelType}' is not supported (expected '{_family}')");
        Require(VocabSize > 0, "vocab_size must be positive");
        ValidateHeads(Require);
        Require(NumLayers > 0, "num_hidden_layers must be positive");
        Require(IntermediateSize > 0, "intermediate_size must be positive");
        // HF's "gelu" is the exact erf form; the tanh approximation ("gelu_new", …) would shift every embedding.
        Require(HiddenAct == "gelu", $"hidden_act '{HiddenAct}' is not supported (expected 'gelu')");
        Require(LayerNormEps > 0, "layer_norm_eps must be positive");
        ValidateFamily(source, Require);
    }

    /// <summary>BERT's and RoBERTa's rule; DeBERTa may set attention_head_size instead.</summary>
    protected virtual void ValidateHeads(Action<bool, string> require) =>
        require(HiddenSize > 0 && NumHeads > 0 && HiddenSize % NumHeads == 0, "hidden_size must be a positive multiple of num_attention_heads");

    /// <summary>The family's own keys and the shared keys whose rule differs per family (positions, token types, labels, hook).</summary>
    protected abstract void ValidateFamily(string source, Action<bool, string> require);

    /// <summary>pad_token_id indexes the word embeddings (RoBERTa's and DeBERTa's rule).</summary>
    protected void RequirePadInVocabulary(Action<bool, string> require) =>
        require(PadTokenId >= 0 && PadTokenId < VocabSize, $"pad_token_id {PadTokenId} is outside the vocabulary");

    /// <summary>id2label as <see cref="ClassLabels"/> reads it, and the hook keys (RoBERTa's and DeBERTa's rule).</summary>
    protected void RequireClassLabelsAndHook(string source, Action<bool, string> require)
    {
        _ = ClassLabels.Names(Id2Label, source);
        EncoderHook.Validate(HookLayer, HookToken, NumLayers, require);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Indented, null keys left out, with the keys of <paramref name="config"/>'s own family.</summary>
    protected static string Serialize(EncoderConfig config) => JsonSerializer.Serialize(config, config.GetType(), JsonOptions);

    /// <summary>RoBERTa's and DeBERTa's form: transformers' two default classes when id2label is absent, label2id always from id2label.</summary>
    protected string SerializeWithClassLabels() =>
        Serialize(this with { Id2Label = Id2Label ?? ClassLabels.Default(2), Label2Id = ClassLabels.Label2Id(ClassLabels.Names(Id2Label, "config.json")) });

    protected static T LoadValidated<T>(string path) where T : EncoderConfig
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model config not found", path);
        T? cfg;
        try { cfg = JsonSerializer.Deserialize<T>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})"); }
        if (cfg is null) throw new InvalidDataException($"{path}: empty config.json");
        cfg.Validate(path);
        return cfg;
    }
}

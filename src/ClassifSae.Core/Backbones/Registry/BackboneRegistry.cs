using static TorchSharp.torch;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClassifSae.Backbones.Bert;
using ClassifSae.Backbones.DebertaV2;
using ClassifSae.Backbones.GptJ;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Backbones.Llama;
using ClassifSae.Backbones.Mistral;
using ClassifSae.Backbones.Qwen2;
using ClassifSae.Backbones.Roberta;

namespace ClassifSae.Backbones.Registry;

/// <summary>
/// Picks a backbone family from a Hugging Face folder's config.json (<c>model_type</c>, then <c>architectures</c>).
/// A new family is one folder under Backbones/ plus one line in <see cref="Families"/>.
/// </summary>
public static class BackboneRegistry
{
    public const string ConfigFile = "config.json";

    public static IReadOnlyList<BackboneFamily> Families { get; } =
    [
        new("gpt_neox", ["GPTNeoXForCausalLM"], folder => GptNeoXCheckpoint.Load(folder), path => GptNeoXConfig.Load(path).Shape)
        {
            Scratch = GptNeoXConfig.Scratch, LoadIn = (folder, dtype) => GptNeoXCheckpoint.Load(folder, dtype),
        },
        new("bert", [BertClassifierCheckpoint.Architecture], BertClassifierCheckpoint.Load, path => BertForSequenceClassification.ShapeOf(BertConfig.Load(path)))
        {
            BaseArchitectures = ["BertModel", "BertForMaskedLM", "BertForPreTraining"], Start = BertClassifierCheckpoint.Start,
        },
        new("roberta", ["RobertaForSequenceClassification"], RobertaCheckpoint.Load, path => RobertaConfig.Load(path).Shape)
        {
            BaseArchitectures = ["RobertaModel", "RobertaForMaskedLM"],
            Start = (folder, s) => RobertaCheckpoint.Start(folder, s.ClassNames, s.Seed, s.HookLayer, s.HookToken),
        },
        new("deberta-v2", ["DebertaV2ForSequenceClassification"], DebertaV2Checkpoint.Load, path => DebertaV2Config.Load(path).Shape)
        {
            BaseArchitectures = ["DebertaV2Model", "DebertaV2ForMaskedLM"],
            Start = (folder, s) => DebertaV2Checkpoint.Start(folder, s.ClassNames, s.Seed, s.HookLayer, s.HookToken),
        },
        new("llama", ["LlamaForCausalLM"], folder => LlamaCheckpoint.Load(folder, LlamaConfig.Llama), path => LlamaConfig.Load(path).Shape)
        {
            Scratch = LlamaConfig.Scratch, LoadIn = (folder, dtype) => LlamaCheckpoint.Load(folder, LlamaConfig.Llama, dtype),
        },
        new("mistral", ["MistralForCausalLM"], folder => MistralBackbone.Load(folder), path => LlamaConfig.Load(path).Shape)
        {
            LoadIn = (folder, dtype) => MistralBackbone.Load(folder, dtype),
        },
        new("qwen2", ["Qwen2ForCausalLM"], folder => Qwen2Backbone.Load(folder), path => LlamaConfig.Load(path).Shape)
        {
            LoadIn = (folder, dtype) => Qwen2Backbone.Load(folder, dtype),
        },
        new("gptj", ["GPTJForCausalLM"], folder => GptJCheckpoint.Load(folder), path => GptJConfig.Load(path).Shape)
        {
            LoadIn = (folder, dtype) => GptJCheckpoint.Load(folder, dtype),
        },
    ];

    /// <summary>The backbone saved in <paramref name="folder"/>, with its weights (fp32).</summary>
    public static IClassifierBackbone Load(string folder) => Resolve(folder).Load(folder);

    /// <summary>
    /// The backbone in <paramref name="folder"/> built and computing in <paramref name="dtype"/> (<see cref="ComputeDtype"/>); a
    /// family without half-precision loading (<see cref="LoadsHalfPrecision"/>) is refused for bfloat16/float16.
    /// </summary>
    public static IClassifierBackbone Load(string folder, ScalarType dtype)
    {
        var family = Resolve(folder);
        if (dtype == ScalarType.Float32) return family.Load(folder);
        return family.LoadIn is { } load ? load(folder, dtype)
            : throw new ArgumentException($"{folder}: a {family.ModelType} backbone computes in float32 only (half precision: {string.Join(", ", HalfPrecisionFamilies)})", nameof(dtype));
    }

    /// <summary>Whether the backbone in <paramref name="folder"/> can load into bfloat16/float16.</summary>
    public static bool LoadsHalfPrecision(string folder) => Resolve(folder).LoadIn is not null;

    /// <summary>The model types that load into bfloat16/float16.</summary>
    public static IReadOnlyList<string> HalfPrecisionFamilies => Families.Where(f => f.LoadIn is not null).Select(f => f.ModelType).ToList();

    /// <summary>The sizes of the backbone in <paramref name="folder"/>, from its config.json only.</summary>
    public static BackboneShape Shape(string folder) => Resolve(folder).ReadShape(Path.Combine(folder, ConfigFile));

    /// <summary>The model types that can be built from a seed (<c>source: scratch</c>).</summary>
    public static IReadOnlyList<string> ScratchFamilies => Families.Where(f => f.Scratch is not null).Select(f => f.ModelType).ToList();

    /// <summary>A randomly initialised <paramref name="modelType"/> backbone of <paramref name="shape"/> from <paramref name="seed"/>.</summary>
    public static IClassifierBackbone CreateScratch(string modelType, ScratchShape shape, long seed)
    {
        var family = Families.FirstOrDefault(f => f.ModelType == modelType && f.Scratch is not null)
                     ?? throw new UserError($"model family '{modelType}' cannot be built from scratch (families that can: {string.Join(", ", ScratchFamilies)})");
        return family.Scratch!(shape, seed);
    }

    /// <summary>
    /// The classifier FineTune starts from <paramref name="folder"/>: the family's <see cref="BackboneFamily.Start"/> (an encoder may
    /// come without its head), else the folder loaded as is.
    /// </summary>
    public static IClassifierBackbone Start(string folder, ClassifierStart start)
    {
        var family = Resolve(folder, pretrained: true);
        if (family.Start is { } begin) return begin(folder, start);
        if (start.ChoosesHook)
            throw new InvalidDataException($"{folder}: a {family.ModelType} backbone reads its decision at a fixed hook (hook_layer / hook_token apply to encoders)");
        return family.Load(folder);
    }

    /// <summary>The sizes of the pretrained model FineTune would start from (a base encoder included), from its config.json only.</summary>
    public static BackboneShape PretrainedShape(string folder) => Resolve(folder, pretrained: true).ReadShape(Path.Combine(folder, ConfigFile));

    public static BackboneFamily Resolve(string folder) => Resolve(folder, pretrained: false);

    private static BackboneFamily Resolve(string folder, bool pretrained)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model config not found (expected a Hugging Face model folder)", path);
        JsonNode? json;
        try { json = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})"); }
        if (json is not JsonObject config) throw new InvalidDataException($"{path}: config.json is not a JSON object");
        var modelType = config["model_type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var architectures = (config["architectures"] as JsonArray)?.Select(a => a?.GetValue<string>()).OfType<string>().ToList() ?? [];
        var family = Families.FirstOrDefault(f => Matches(f, modelType, architectures, pretrained));
        return family ?? throw new InvalidDataException(
            $"{path}: model_type '{modelType ?? "(none)"}' with architectures [{string.Join(", ", architectures)}] is not a supported backbone " +
            $"(known: {string.Join("; ", Families)})");
    }

    // A config without architectures (older exports) is matched on model_type alone; one that names them must name ours,
    // so a GPTNeoXForSequenceClassification head is refused rather than loaded as a causal LM.
    // A pretrained folder may also be one of the family's base architectures (BertModel), which FineTune gives a head.
    private static bool Matches(BackboneFamily family, string? modelType, IReadOnlyList<string> architectures, bool pretrained)
    {
        var accepted = pretrained ? family.Architectures.Concat(family.BaseArchitectures).ToList() : family.Architectures;
        return modelType is null
            ? architectures.Any(accepted.Contains)
            : modelType == family.ModelType && (architectures.Count == 0 || architectures.Any(accepted.Contains));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClassifSae.SentenceEncoders.MiniLm;

/// <summary>
/// The sentence-transformers layer of a model folder: <c>modules.json</c> (Transformer → Pooling → Normalize),
/// <c>sentence_bert_config.json</c> (max_seq_length, do_lower_case) and the pooling module's <c>config.json</c>.
/// Only the pipeline we implement is accepted (mean pooling; no Dense or other modules), so a folder that
/// sentence-transformers would encode differently fails instead of giving different embeddings.
/// </summary>
/// <param name="MaxSeqLength">Word pieces per text including [CLS] and [SEP]; longer texts are truncated.</param>
/// <param name="LowerCaseInput">sentence-transformers lower-cases the raw text itself (distinct from the tokenizer's own lower-casing).</param>
/// <param name="HasNormalizeModule">Whether the folder ends in a Normalize module (all-MiniLM-L6-v2 does).</param>
/// <param name="PoolingDimension">The pooling config's word_embedding_dimension, if it gives one.</param>
public sealed record SentenceTransformerConfig(int MaxSeqLength, bool LowerCaseInput, bool HasNormalizeModule, int? PoolingDimension)
{
    public const string ModulesFile = "modules.json";
    public const string SentenceBertFile = "sentence_bert_config.json";
    public const string DefaultPoolingFolder = "1_Pooling";

    /// <summary>sentence-transformers' max_seq_length of all-MiniLM-L6-v2, used when the folder does not say.</summary>
    public const int DefaultMaxSeqLength = 256;

    private const string ModuleTypePrefix = "sentence_transformers.models.";

    public static SentenceTransformerConfig Load(string folder)
    {
        var (poolingFolder, hasNormalize) = ReadModules(folder);
        var (maxSeq, lower) = ReadSentenceBert(Path.Combine(folder, SentenceBertFile));
        var poolingConfig = Path.Combine(folder, poolingFolder, "config.json");
        int? dim = null;
        if (File.Exists(poolingConfig)) dim = ReadPooling(poolingConfig);
        else if (File.Exists(Path.Combine(folder, ModulesFile)))
            throw new FileNotFoundException($"{poolingConfig}: the Pooling module that {ModulesFile} lists has no config.json", poolingConfig);
        return new SentenceTransformerConfig(maxSeq, lower, hasNormalize, dim);
    }

    /// <summary>The pooling module's folder and whether a Normalize module follows; a plain HF folder (no modules.json) means mean pooling, no Normalize.</summary>
    private static (string PoolingFolder, bool HasNormalize) ReadModules(string folder)
    {
        var path = Path.Combine(folder, ModulesFile);
        if (!File.Exists(path)) return (DefaultPoolingFolder, false);
        var modules = ParseJson(path) as JsonArray ?? throw new InvalidDataException($"{path}: expected a JSON array of modules");
        string? pooling = null;
        var hasNormalize = false;
        for (var i = 0; i < modules.Count; i++)
        {
            var type = modules[i]?["type"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: module {i} has no 'type'");
            var modulePath = modules[i]?["path"]?.GetValue<string>() ?? "";
            var kind = type.StartsWith(ModuleTypePrefix, StringComparison.Ordinal) ? type[ModuleTypePrefix.Length..] : type;
            switch (i, kind)
            {
                case (0, "Transformer"):
                    if (modulePath != "") throw new InvalidDataException($"{path}: the Transformer module must be the folder itself (path \"\"), found '{modulePath}'");
                    break;
                case (1, "Pooling"):
                    pooling = modulePath;
                    break;
                case (2, "Normalize"):
                    hasNormalize = true;
                    break;
                default:
                    throw new InvalidDataException($"{path}: module {i} of type '{type}' is not supported (expected Transformer, Pooling, optional Normalize)");
            }
        }
        if (pooling is null) throw new InvalidDataException($"{path}: no Pooling module after the Transformer");
        return (pooling, hasNormalize);
    }

    private static (int MaxSeqLength, bool LowerCase) ReadSentenceBert(string path)
    {
        if (!File.Exists(path)) return (DefaultMaxSeqLength, false);
        var root = ParseJson(path) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object");
        var maxSeq = ReadValue<int>(root, "max_seq_length", path) ?? DefaultMaxSeqLength;
        if (maxSeq < 2) throw new InvalidDataException($"{path}: max_seq_length {maxSeq} leaves no room for [CLS] and [SEP]");
        return (maxSeq, ReadValue<bool>(root, "do_lower_case", path) ?? false);
    }

    private static readonly string[] OtherPoolingModes =
    [
        "pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
        "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken",
    ];

    private static int? ReadPooling(string path)
    {
        var root = ParseJson(path) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object");
        if (ReadValue<bool>(root, "pooling_mode_mean_tokens", path) != true)
            throw new InvalidDataException($"{path}: pooling_mode_mean_tokens must be true (only mean pooling is implemented)");
        // Several modes at once would concatenate poolings into a wider embedding.
        var other = OtherPoolingModes.FirstOrDefault(m => ReadValue<bool>(root, m, path) == true);
        if (other is not null) throw new InvalidDataException($"{path}: {other} is true; only pooling_mode_mean_tokens is implemented");
        return ReadValue<int>(root, "word_embedding_dimension", path);
    }

    private static JsonNode? ParseJson(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
    }

    private static T? ReadValue<T>(JsonObject root, string key, string path) where T : struct
    {
        var node = root[key];
        if (node is null) return default;
        try { return node.GetValue<T>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: '{key}' has the wrong type ({node.ToJsonString()})");
        }
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// What a Hugging Face BERT folder says about its tokenizer: the WordPiece vocabulary (<c>vocab.txt</c>, else
/// <c>tokenizer.json</c>'s model.vocab) and the normaliser flags. tokenizer.json wins over tokenizer_config.json
/// because it is what the fast tokenizer sentence-transformers uses actually runs; with neither, BERT uncased
/// defaults apply (lower-case, strip accents, split CJK). tokenizer.json's truncation and padding sections are
/// ignored: sentence-transformers replaces them with max_seq_length and longest-row padding.
/// </summary>
public sealed record BertTokenizerFiles(string VocabText, string VocabSource, bool LowerCase, bool StripAccents, bool HandleChineseChars,
    int MaxInputCharsPerWord)
{
    public const string VocabFile = "vocab.txt";
    public const string TokenizerJson = "tokenizer.json";
    public const string TokenizerConfig = "tokenizer_config.json";

    public static BertTokenizerFiles Load(string folder)
    {
        var tokenizerJson = Path.Combine(folder, TokenizerJson);
        var root = File.Exists(tokenizerJson) ? ParseObject(tokenizerJson) : null;
        var (vocab, source) = ReadVocab(folder, root, tokenizerJson);
        if (root is not null) return FromTokenizerJson(root, tokenizerJson, vocab, source);

        var configPath = Path.Combine(folder, TokenizerConfig);
        var config = File.Exists(configPath) ? ParseObject(configPath) : new JsonObject();
        var lower = Flag(config, "do_lower_case", configPath) ?? true;
        // HF: strip_accents null/absent follows the lower-casing, as in the original uncased BERT.
        var strip = Flag(config, "strip_accents", configPath) ?? lower;
        var chinese = Flag(config, "tokenize_chinese_chars", configPath) ?? true;
        return new BertTokenizerFiles(vocab, source, lower, strip, chinese, 100);
    }

    private static BertTokenizerFiles FromTokenizerJson(JsonObject root, string path, string vocab, string source)
    {
        string Fail(string what) => $"{path}: {what}";
        var model = root["model"] as JsonObject ?? throw new InvalidDataException(Fail("no 'model' section"));
        if (model["type"]?.GetValue<string>() is not "WordPiece")
            throw new InvalidDataException(Fail($"model type '{model["type"]}' is not supported (expected WordPiece)"));
        if (model["continuing_subword_prefix"]?.GetValue<string>() is { } prefix and not "##")
            throw new InvalidDataException(Fail($"continuing_subword_prefix '{prefix}' is not supported (expected '##')"));
        var maxChars = model["max_input_chars_per_word"]?.GetValue<int>() ?? 100;

        var pre = root["pre_tokenizer"]?["type"]?.GetValue<string>();
        if (pre is not "BertPreTokenizer") throw new InvalidDataException(Fail($"pre_tokenizer '{pre}' is not supported (expected BertPreTokenizer)"));
        var normalizer = root["normalizer"] as JsonObject ?? throw new InvalidDataException(Fail("no 'normalizer' section (expected BertNormalizer)"));
        if (normalizer["type"]?.GetValue<string>() is not "BertNormalizer")
            throw new InvalidDataException(Fail($"normalizer '{normalizer["type"]}' is not supported (expected BertNormalizer)"));
        if (Flag(normalizer, "clean_text", path) == false) throw new InvalidDataException(Fail("normalizer.clean_text=false is not supported"));
        var lower = Flag(normalizer, "lowercase", path) ?? true;
        return new BertTokenizerFiles(vocab, source, lower, Flag(normalizer, "strip_accents", path) ?? lower,
            Flag(normalizer, "handle_chinese_chars", path) ?? true, maxChars);
    }

    /// <summary>vocab.txt as is (line number = id), or tokenizer.json's {token: id} written out in id order.</summary>
    private static (string Text, string Source) ReadVocab(string folder, JsonObject? tokenizerRoot, string tokenizerJson)
    {
        var vocabTxt = Path.Combine(folder, VocabFile);
        if (File.Exists(vocabTxt)) return (File.ReadAllText(vocabTxt, Encoding.UTF8), vocabTxt);
        if (tokenizerRoot is null)
            throw new FileNotFoundException($"{folder}: neither {VocabFile} nor {TokenizerJson} found (the WordPiece vocabulary is required)", vocabTxt);
        var vocab = tokenizerRoot["model"]?["vocab"] as JsonObject
                    ?? throw new InvalidDataException($"{tokenizerJson}: model.vocab missing");
        var byId = new string?[vocab.Count];
        foreach (var (token, node) in vocab)
        {
            var id = node?.GetValue<int>() ?? -1;
            if (id < 0 || id >= byId.Length || byId[id] is not null)
                throw new InvalidDataException($"{tokenizerJson}: model.vocab ids must be 0..{byId.Length - 1} without repeats ('{token}' has {id})");
            // One token per line below: a line break inside a token would shift every later id.
            if (token.Length == 0 || token.IndexOfAny(['\n', '\r']) >= 0)
                throw new InvalidDataException($"{tokenizerJson}: model.vocab token {id} is empty or contains a line break");
            byId[id] = token;
        }
        return (string.Join('\n', byId), tokenizerJson + " (model.vocab)");
    }

    private static JsonObject ParseObject(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
    }

    /// <summary>A boolean setting; null when absent or JSON null.</summary>
    private static bool? Flag(JsonObject o, string key, string path)
    {
        var node = o[key];
        if (node is null) return null;
        try { return node.GetValue<bool>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: '{key}' must be true, false or null (found {node.ToJsonString()})");
        }
    }
}

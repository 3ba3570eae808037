using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace ClassifSae.Text;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (GPT-NeoX / Pythia's <c>tokenizer.json</c>) on Microsoft.ML.Tokenizers:
/// NFC normaliser, GPT-2 split regex, no prefix space, and the file's added tokens (e.g. GPT-NeoX's runs of
/// spaces) matched before BPE as HF does. No special tokens are added to the sequence.
/// </summary>
public sealed partial class HfBpeTokenizer : ITextTokenizer
{
    // The GPT-2 / GPT-NeoX pre-tokenizer split.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2Split();

    private readonly BpeTokenizer _bpe;
    private readonly bool _nfc;

    public int VocabSize { get; }
    public int PadId { get; }
    public string Source { get; }

    private HfBpeTokenizer(BpeTokenizer bpe, bool nfc, int vocabSize, int padId, string source)
    {
        (_bpe, _nfc, VocabSize, PadId, Source) = (bpe, nfc, vocabSize, padId, source);
    }

    public static HfBpeTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: tokenizer.json not found", path);
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
        string Fail(string what) => $"{path}: {what}";

        var model = root["model"] as JsonObject ?? throw new InvalidDataException(Fail("no 'model' section"));
        if (model["type"]?.GetValue<string>() is not "BPE") throw new InvalidDataException(Fail($"model type '{model["type"]}' is not supported (expected BPE)"));
        var vocabNode = model["vocab"] as JsonObject ?? throw new InvalidDataException(Fail("model.vocab missing"));
        var vocab = vocabNode.Select(kv => new KeyValuePair<string, int>(kv.Key, kv.Value!.GetValue<int>())).ToList();
        var merges = (model["merges"] as JsonArray ?? throw new InvalidDataException(Fail("model.merges missing")))
            .Select(m => m switch
            {
                JsonArray pair when pair.Count == 2 => $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}",
                JsonValue v => v.GetValue<string>(),
                _ => throw new InvalidDataException(Fail("a merge is neither \"a b\" nor [a, b]")),
            }).ToList();

        var pre = root["pre_tokenizer"] as JsonObject;
        if (pre is not null && pre["type"]?.GetValue<string>() != "ByteLevel")
            throw new InvalidDataException(Fail($"pre_tokenizer '{pre["type"]}' is not supported (expected ByteLevel)"));
        if (pre?["add_prefix_space"]?.GetValue<bool>() == true)
            throw new InvalidDataException(Fail("add_prefix_space=true is not supported"));
        var normalizer = root["normalizer"]?["type"]?.GetValue<string>();
        if (normalizer is not (null or "NFC")) throw new InvalidDataException(Fail($"normalizer '{normalizer}' is not supported (expected NFC or none)"));

        var added = (root["added_tokens"] as JsonArray ?? [])
            .Select(t => (Content: t!["content"]!.GetValue<string>(), Id: t["id"]!.GetValue<int>()))
            .ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        var maxId = Math.Max(vocab.Max(v => v.Value), added.Count > 0 ? added.Values.Max() : 0);
        var padId = added.TryGetValue("<|endoftext|>", out var eos) ? eos : 0;

        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            SpecialTokens = added.Count > 0 ? added : null,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(Gpt2Split(), added.Count > 0 ? added : null),
        };
        return new HfBpeTokenizer(BpeTokenizer.Create(options), normalizer == "NFC", maxId + 1, padId, path);
    }

    public int[] Encode(string text)
    {
        var input = _nfc ? text.Normalize(NormalizationForm.FormC) : text;
        return _bpe.EncodeToIds(input).ToArray();
    }

    /// <summary>transformers' decode without skip_special_tokens: every id is decoded, so id 0 reads "&lt;|endoftext|&gt;".</summary>
    public string Decode(IEnumerable<int> ids) => _bpe.Decode(ids, considerSpecialTokens: true) ?? "";

    /// <summary>The last token of the digit string (GPT-NeoX: "0" → 17 … "3" → 20).</summary>
    public int LabelTokenId(int classIndex) => Encode(PromptTemplate.LabelString(classIndex))[^1];
}

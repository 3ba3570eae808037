using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace ClassifSae.Text;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (<c>tokenizer.json</c> of GPT-NeoX / Pythia, GPT-J / GPT-2, Llama 3, Qwen2) on
/// Microsoft.ML.Tokenizers: NFC or no normaliser; the GPT-2 split regex (pre_tokenizer ByteLevel) or the file's own
/// (pre_tokenizer Sequence [Split(Regex), ByteLevel(use_regex=false)], Llama 3's <c>\p{N}{1,3}</c> and Qwen2's <c>\p{N}</c>);
/// no prefix space; the file's added tokens (e.g. GPT-NeoX's runs of spaces) matched before BPE as HF does; and
/// <c>ignore_merges</c> (Llama 3: a pre-token that is itself a vocabulary entry is that entry). No special tokens
/// (BOS) are added: the backbone puts its BOS in front.
/// </summary>
public sealed partial class HfBpeTokenizer : ITextTokenizer
{
    // The GPT-2 / GPT-NeoX pre-tokenizer split.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2Split();

    private readonly BpeTokenizer _bpe;
    private readonly bool _nfc;
    private IgnoreMerges? _wholePieces;

    /// <summary>What <c>ignore_merges</c> needs: the split regex, the vocabulary and the added tokens, longest first.</summary>
    private sealed record IgnoreMerges(Regex Split, Dictionary<string, int> Vocab, (string Content, int Id)[] Added);

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

        var split = SplitRegex(root["pre_tokenizer"] as JsonObject, Fail);
        var normalizer = root["normalizer"]?["type"]?.GetValue<string>();
        if (normalizer is not (null or "NFC")) throw new InvalidDataException(Fail($"normalizer '{normalizer}' is not supported (expected NFC or none)"));

        var added = (root["added_tokens"] as JsonArray ?? [])
            .Select(t => (Content: t!["content"]!.GetValue<string>(), Id: t["id"]!.GetValue<int>()))
            .ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        var maxId = Math.Max(vocab.Max(v => v.Value), added.Count > 0 ? added.Values.Max() : 0);
        // The end-of-text token pads (spec 04 §2.1: pad = eos): GPT-2/NeoX/Qwen2 "<|endoftext|>", Llama 3 "<|end_of_text|>".
        var padId = added.TryGetValue("<|endoftext|>", out var eos) || added.TryGetValue("<|end_of_text|>", out eos) ? eos : 0;

        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            SpecialTokens = added.Count > 0 ? added : null,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(split, added.Count > 0 ? added : null),
        };
        var tokenizer = new HfBpeTokenizer(BpeTokenizer.Create(options), normalizer == "NFC", maxId + 1, padId, path);
        if (model["ignore_merges"]?.GetValue<bool>() == true)
            tokenizer._wholePieces = new IgnoreMerges(split, vocab.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
                added.OrderByDescending(kv => kv.Key.Length).Select(kv => (kv.Key, kv.Value)).ToArray());
        return tokenizer;
    }

    /// <summary>The pre-token split: GPT-2's for a plain ByteLevel pre-tokenizer, else the Split regex of a Sequence.</summary>
    private static Regex SplitRegex(JsonObject? pre, Func<string, string> fail)
    {
        if (pre is null) return Gpt2Split();
        var type = pre["type"]?.GetValue<string>();
        if (type == "ByteLevel")
        {
            if (pre["add_prefix_space"]?.GetValue<bool>() == true) throw new InvalidDataException(fail("add_prefix_space=true is not supported"));
            if (pre["use_regex"]?.GetValue<bool>() == false) throw new InvalidDataException(fail("pre_tokenizer ByteLevel with use_regex=false and no Split is not supported"));
            return Gpt2Split();
        }
        var steps = type == "Sequence" ? (pre["pretokenizers"] as JsonArray)?.OfType<JsonObject>().ToList() : null;
        if (steps is [var s, var b] && s["type"]?.GetValue<string>() == "Split" && b["type"]?.GetValue<string>() == "ByteLevel"
            && s["pattern"]?["Regex"]?.GetValue<string>() is { } pattern
            && s["behavior"]?.GetValue<string>() is null or "Isolated" && s["invert"]?.GetValue<bool>() != true
            && b["add_prefix_space"]?.GetValue<bool>() != true && b["use_regex"]?.GetValue<bool>() == false)
        {
            try { return new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant); }
            catch (ArgumentException e) { throw new InvalidDataException(fail($"pre_tokenizer Split regex is not a valid .NET regex ({e.Message})")); }
        }
        throw new InvalidDataException(fail($"pre_tokenizer '{type}' is not supported (expected ByteLevel, or Sequence [Split(Regex, Isolated), ByteLevel(use_regex=false)])"));
    }

    public int[] Encode(string text)
    {
        var input = _nfc ? text.Normalize(NormalizationForm.FormC) : text;
        return _wholePieces is null ? _bpe.EncodeToIds(input).ToArray() : EncodeIgnoringMerges(input, _wholePieces);
    }

    /// <summary>Added tokens first, then each regex pre-token: its vocabulary entry if it has one, else its BPE.</summary>
    private int[] EncodeIgnoringMerges(string text, IgnoreMerges w)
    {
        var ids = new List<int>();
        var start = 0;
        while (start < text.Length)
        {
            var (at, token) = w.Added.Length == 0 ? (-1, default) : w.Added
                .Select(a => (At: text.IndexOf(a.Content, start, StringComparison.Ordinal), Token: a))
                .Where(x => x.At >= 0).OrderBy(x => x.At).FirstOrDefault(x => true, (-1, default));
            var end = at < 0 ? text.Length : at;
            foreach (Match m in w.Split.Matches(text[start..end]))
                if (w.Vocab.TryGetValue(ByteLevelAlphabet.Encode(m.Value), out var id)) ids.Add(id);
                else ids.AddRange(_bpe.EncodeToIds(m.Value));
            if (at < 0) break;
            ids.Add(token.Id);
            start = at + token.Content.Length;
        }
        return ids.ToArray();
    }

    /// <summary>transformers' decode without skip_special_tokens: every id is decoded, so id 0 reads "&lt;|endoftext|&gt;".</summary>
    public string Decode(IEnumerable<int> ids) => _bpe.Decode(ids, considerSpecialTokens: true) ?? "";

    /// <summary>The last token of the digit string (GPT-NeoX: "0" → 17 … "3" → 20).</summary>
    public int LabelTokenId(int classIndex) => Encode(PromptTemplate.LabelString(classIndex))[^1];
}

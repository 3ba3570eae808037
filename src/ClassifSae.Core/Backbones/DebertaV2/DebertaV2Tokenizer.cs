using System.Text.Json.Nodes;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Text;
using Microsoft.ML.Tokenizers;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// DeBERTa-v2/v3's SentencePiece Unigram tokenizer from its <c>tokenizer.json</c>. The Unigram segmentation (best-scoring
/// split, unknown characters as [UNK]) and SentencePiece's normalisation (the file's Precompiled charsmap, whitespace
/// clean-up, "▁" prefix and escaping) are Microsoft.ML.Tokenizers' SentencePieceTokenizer, fed a model proto built from the file
/// (<see cref="SentencePieceModelProto"/>). [CLS] text [SEP] and the pad id come from the post_processor and added tokens.
/// Supported tokenizer.json shapes: normalizer = Sequence of Strip / Precompiled / Replace(" {2,}" → " ") / Lowercase;
/// pre_tokenizer = Metaspace("▁") (deberta's split_by_punct = Punctuation is refused).
/// </summary>
public sealed class DebertaV2Tokenizer : ISequenceTokenizer
{
    private const string Metaspace = "\u2581";
    private readonly SentencePieceTokenizer _spm;
    private readonly bool _lowerCase;
    private readonly int _unkId;

    public int StartId { get; }
    public int EndId { get; }
    public int PadId { get; }
    public int VocabSize { get; }

    private DebertaV2Tokenizer(SentencePieceTokenizer spm, bool lowerCase, int unkId, int start, int end, int pad, int vocabSize) =>
        (_spm, _lowerCase, _unkId, StartId, EndId, PadId, VocabSize) = (spm, lowerCase, unkId, start, end, pad, vocabSize);

    public static DebertaV2Tokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: tokenizer.json not found", path);
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
        string Fail(string what) => $"{path}: {what}";

        var model = root["model"] as JsonObject ?? throw new InvalidDataException(Fail("no 'model' section"));
        if (model["type"]?.GetValue<string>() is not "Unigram") throw new InvalidDataException(Fail($"model type '{model["type"]}' is not supported (expected Unigram)"));
        var vocab = (model["vocab"] as JsonArray ?? throw new InvalidDataException(Fail("model.vocab missing")))
            .Select((e, i) => e is JsonArray { Count: 2 } pair && pair[0] is JsonValue piece && pair[1] is JsonValue score
                ? (Text: piece.GetValue<string>(), Score: score.GetValue<double>())
                : throw new InvalidDataException(Fail($"model.vocab[{i}] is not [piece, score]"))).ToList();
        if (vocab.Count == 0) throw new InvalidDataException(Fail("model.vocab is empty"));
        var unkId = model["unk_id"]?.GetValue<int>() ?? throw new InvalidDataException(Fail("model.unk_id missing (a Unigram model needs an unknown piece)"));
        if (unkId < 0 || unkId >= vocab.Count) throw new InvalidDataException(Fail($"model.unk_id {unkId} is outside the vocabulary"));
        var byteFallback = model["byte_fallback"]?.GetValue<bool>() ?? false;

        var added = (root["added_tokens"] as JsonArray ?? [])
            .Select(t => (Content: t!["content"]!.GetValue<string>(), Id: t["id"]!.GetValue<int>(), Special: t["special"]?.GetValue<bool>() ?? false))
            .ToList();
        var (start, end, pad) = TokenizerJsonSpecials.Read(root, path, "[PAD]", "<pad>");
        var (charsmap, lowerCase, removeExtraWhitespaces) = ReadNormalizer(root["normalizer"], Fail);
        var addDummyPrefix = ReadMetaspace(root["pre_tokenizer"], Fail);

        var specialIds = added.Where(a => a.Special).Select(a => a.Id).ToHashSet();
        var pieces = vocab.Select((v, id) => new SentencePieceModelProto.Piece(v.Text, (float)v.Score,
            id == unkId ? SentencePieceModelProto.PieceType.Unknown
            : specialIds.Contains(id) ? SentencePieceModelProto.PieceType.Control
            : byteFallback && v.Text.Length == 6 && v.Text.StartsWith("<0x", StringComparison.Ordinal) ? SentencePieceModelProto.PieceType.Byte
            : SentencePieceModelProto.PieceType.Normal)).ToList();
        var proto = SentencePieceModelProto.Unigram(pieces, unkId, start, end, pad, byteFallback,
            new SentencePieceModelProto.Normalizer(charsmap, addDummyPrefix, removeExtraWhitespaces));
        using var stream = new MemoryStream(proto);
        var specials = added.ToDictionary(a => a.Content, a => a.Id, StringComparer.Ordinal);
        SentencePieceTokenizer spm;
        try { spm = SentencePieceTokenizer.Create(stream, false, false, specials); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException(Fail($"the Unigram model could not be built ({e.Message})"));
        }
        var vocabSize = Math.Max(vocab.Count, added.Count > 0 ? added.Max(a => a.Id) + 1 : 0);
        return new DebertaV2Tokenizer(spm, lowerCase, unkId, start, end, pad, vocabSize);
    }

    private static (byte[]? Charsmap, bool LowerCase, bool RemoveExtraWhitespaces) ReadNormalizer(JsonNode? node, Func<string, string> fail)
    {
        if (node is null) return (null, false, false);
        var steps = node["type"]?.GetValue<string>() == "Sequence" ? (node["normalizers"] as JsonArray ?? []).ToList() : [node];
        byte[]? charsmap = null;
        bool lower = false, whitespace = false;
        foreach (var step in steps)
        {
            switch (step?["type"]?.GetValue<string>())
            {
                case "Precompiled":
                    var b64 = step["precompiled_charsmap"]?.GetValue<string>();
                    charsmap = string.IsNullOrEmpty(b64) ? null : Convert.FromBase64String(b64);
                    break;
                case "Strip":
                    whitespace = true;
                    break;
                case "Replace" when CollapsesSpaces(step):
                    whitespace = true;
                    break;
                case "Lowercase":
                    lower = true;
                    break;
                case var other:
                    throw new InvalidDataException(fail($"normalizer step '{other}' is not supported (expected Strip, Precompiled, Replace(\" {{2,}}\" → \" \") or Lowercase)"));
            }
        }
        return (charsmap, lower, whitespace);
    }

    private static bool CollapsesSpaces(JsonNode step) =>
        (step["pattern"] as JsonObject)?["Regex"]?.GetValue<string>() == " {2,}" && step["content"]?.GetValue<string>() == " ";

    /// <returns>whether "▁" is prepended to the text (SentencePiece's add_dummy_prefix)</returns>
    private static bool ReadMetaspace(JsonNode? node, Func<string, string> fail)
    {
        var steps = node?["type"]?.GetValue<string>() == "Sequence" ? (node["pretokenizers"] as JsonArray ?? []).ToList() : [node];
        if (steps.Count != 1 || steps[0]?["type"]?.GetValue<string>() != "Metaspace")
            throw new InvalidDataException(fail($"pre_tokenizer must be a single Metaspace, got [{string.Join(", ", steps.Select(s => s?["type"]?.ToString() ?? "none"))}] (split_by_punct is not supported)"));
        var meta = steps[0]!;
        if (meta["replacement"]?.GetValue<string>() is { } r && r != Metaspace) throw new InvalidDataException(fail($"Metaspace replacement '{r}' is not supported (expected '▁')"));
        return meta["prepend_scheme"]?.GetValue<string>() is { } scheme ? scheme != "never" : meta["add_prefix_space"]?.GetValue<bool>() ?? true;
    }

    /// <summary>
    /// The library's ids, with each run of [UNK] inside one word fused into a single [UNK] as transformers' Unigram (fuse_unk)
    /// and SentencePiece do; a run that crosses a word start ("▁") stays split, as transformers' per-word segmentation leaves it.
    /// </summary>
    public int[] Encode(string text)
    {
        var tokens = _spm.EncodeToTokens(_lowerCase ? text.ToLowerInvariant() : text, out var normalized, addBeginningOfSentence: false, addEndOfSentence: false);
        var ids = new List<int>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var startsWord = normalized is not null && tokens[i].Offset.Start.Value < normalized.Length && normalized[tokens[i].Offset.Start.Value] is '\u2581' or ' ';
            if (tokens[i].Id == _unkId && i > 0 && tokens[i - 1].Id == _unkId && !startsWord) continue;
            ids.Add(tokens[i].Id);
        }
        return [.. ids];
    }

    public int[] EncodeSequence(string text) => [StartId, .. Encode(text), EndId];

    public string Decode(IEnumerable<int> ids) => _spm.Decode(ids, considerSpecialTokens: true) ?? "";

    /// <summary>The last id of the digit string (for a class's label digit; a sequence classifier scores classes by its head instead).</summary>
    public int LabelTokenId(int classIndex) => Encode(PromptTemplate.LabelString(classIndex))[^1];
}

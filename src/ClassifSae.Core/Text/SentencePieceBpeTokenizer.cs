using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace ClassifSae.Text;

/// <summary>
/// A SentencePiece BPE tokenizer with byte fallback as transformers reads it from <c>tokenizer.json</c> (Mistral, Llama 2):
/// spaces become "▁" and one "▁" is put in front of the text (normalizer Prepend + Replace, or pre_tokenizer Metaspace
/// with prepend_scheme first/always and split=false); the whole text is one BPE word (merges ranked by their order, via
/// Microsoft.ML.Tokenizers); a character that is not in the vocabulary becomes the byte tokens <c>&lt;0xXX&gt;</c> of
/// its UTF-8 bytes (so "\n" → <c>&lt;0x0A&gt;</c>) and no merge crosses it. Characters outside the BMP always take the
/// byte path. No BOS is added: the backbone puts its BOS in front.
/// </summary>
public sealed partial class SentencePieceBpeTokenizer : ITextTokenizer
{
    private const char Space = '▁';

    // The BPE word is the whole segment: no further splitting.
    [GeneratedRegex(@"(?s).+")]
    private static partial Regex Whole();

    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<int, string> _pieces;
    private readonly int[] _byteIds;
    private readonly (string Content, int Id)[] _added;

    public int VocabSize { get; }
    public int PadId { get; }
    public string Source { get; }

    private SentencePieceBpeTokenizer(BpeTokenizer bpe, Dictionary<string, int> vocab, (string, int)[] added, int[] byteIds, int padId, string source)
    {
        (_bpe, _vocab, _added, _byteIds, PadId, Source) = (bpe, vocab, added, byteIds, padId, source);
        _pieces = vocab.Concat(added.Select(a => new KeyValuePair<string, int>(a.Item1, a.Item2)))
            .GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.First().Key);
        VocabSize = _pieces.Keys.Max() + 1;
    }

    /// <summary>True when <paramref name="root"/> (a parsed tokenizer.json) is a BPE model with byte_fallback.</summary>
    public static bool Handles(JsonObject root) =>
        root["model"] is JsonObject m && m["type"]?.GetValue<string>() == "BPE" && m["byte_fallback"]?.GetValue<bool>() == true;

    public static SentencePieceBpeTokenizer Load(string path, JsonObject root)
    {
        string Fail(string what) => $"{path}: {what}";
        var model = root["model"] as JsonObject ?? throw new InvalidDataException(Fail("no 'model' section"));
        if (!Handles(root)) throw new InvalidDataException(Fail("model is not a BPE with byte_fallback=true"));
        CheckSpaceHandling(root, Fail);
        var vocab = (model["vocab"] as JsonObject ?? throw new InvalidDataException(Fail("model.vocab missing")))
            .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<int>(), StringComparer.Ordinal);
        var merges = (model["merges"] as JsonArray ?? throw new InvalidDataException(Fail("model.merges missing")))
            .Select(m => m switch
            {
                JsonArray pair when pair.Count == 2 => $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}",
                JsonValue v => v.GetValue<string>(),
                _ => throw new InvalidDataException(Fail("a merge is neither \"a b\" nor [a, b]")),
            }).ToList();
        var byteIds = new int[256];
        for (var b = 0; b < 256; b++)
        {
            var name = $"<0x{b:X2}>";
            byteIds[b] = vocab.TryGetValue(name, out var id) ? id : throw new InvalidDataException(Fail($"byte_fallback is set but the vocabulary has no '{name}'"));
        }
        var added = (root["added_tokens"] as JsonArray ?? [])
            .Select(t => (Content: t!["content"]!.GetValue<string>(), Id: t["id"]!.GetValue<int>()))
            .OrderByDescending(t => t.Content.Length).ToArray();
        var padId = vocab.TryGetValue("</s>", out var eos) ? eos : added.Where(a => a.Content == "</s>").Select(a => a.Id).FirstOrDefault();
        var options = new BpeOptions(vocab) { Merges = merges, PreTokenizer = new RegexPreTokenizer(Whole(), null) };
        return new SentencePieceBpeTokenizer(BpeTokenizer.Create(options), vocab, added, byteIds, padId, path);
    }

    // Only the legacy Llama/Mistral layout is implemented: one "▁" in front of the whole text, spaces → "▁", no splitting.
    private static void CheckSpaceHandling(JsonObject root, Func<string, string> fail)
    {
        var normalizer = root["normalizer"] as JsonObject;
        var pre = root["pre_tokenizer"] as JsonObject;
        var steps = normalizer?["type"]?.GetValue<string>() == "Sequence" ? (normalizer["normalizers"] as JsonArray)?.OfType<JsonObject>().ToList() : null;
        var legacy = pre is null && steps is [var p, var r]
            && p["type"]?.GetValue<string>() == "Prepend" && p["prepend"]?.GetValue<string>() == "▁"
            && r["type"]?.GetValue<string>() == "Replace" && r["pattern"]?["String"]?.GetValue<string>() == " " && r["content"]?.GetValue<string>() == "▁";
        var metaspace = normalizer is null && pre?["type"]?.GetValue<string>() == "Metaspace" && pre["replacement"]?.GetValue<string>() == "▁"
            && pre["prepend_scheme"]?.GetValue<string>() is "first" or "always" && pre["split"]?.GetValue<bool>() == false;
        if (!legacy && !metaspace)
            throw new InvalidDataException(fail("SentencePiece layout not supported (expected normalizer Sequence [Prepend \"▁\", Replace \" \" → \"▁\"] " +
                                                "or pre_tokenizer Metaspace with prepend_scheme first and split=false)"));
    }

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        var start = 0;
        var first = true;
        while (start <= text.Length)
        {
            var (at, token) = NextAdded(text, start);
            var end = at < 0 ? text.Length : at;
            if (end > start) EncodeSegment(text[start..end].Replace(' ', Space), prependSpace: first, ids);
            first = false;
            if (at < 0) break;
            ids.Add(token.Id);
            start = at + token.Content.Length;
        }
        return ids.ToArray();
    }

    private (int At, (string Content, int Id) Token) NextAdded(string text, int start)
    {
        (int, (string, int)) best = (-1, ("", 0));
        foreach (var a in _added)
        {
            var at = text.IndexOf(a.Content, start, StringComparison.Ordinal);
            if (at >= 0 && (best.Item1 < 0 || at < best.Item1)) best = (at, a);
        }
        return best;
    }

    /// <summary>Runs of known characters go through BPE; each unknown character becomes its UTF-8 byte tokens.</summary>
    private void EncodeSegment(string segment, bool prependSpace, List<int> ids)
    {
        var text = prependSpace ? Space + segment : segment;
        var run = new StringBuilder();
        void Flush()
        {
            if (run.Length > 0) ids.AddRange(_bpe.EncodeToIds(run.ToString()));
            run.Clear();
        }
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var s = rune.ToString();
            if (rune.IsBmp && _vocab.ContainsKey(s)) { run.Append(s); continue; }
            Flush();
            var n = rune.EncodeToUtf8(bytes);
            for (var i = 0; i < n; i++) ids.Add(_byteIds[bytes[i]]);
        }
        Flush();
    }

    /// <summary>Pieces joined, byte tokens reassembled as UTF-8, "▁" read as a space, the one leading space dropped (transformers' decode).</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        var pending = new List<byte>();
        void FlushBytes()
        {
            if (pending.Count > 0) sb.Append(Encoding.UTF8.GetString(pending.ToArray()));
            pending.Clear();
        }
        foreach (var id in ids)
        {
            var piece = _pieces.TryGetValue(id, out var p) ? p : "";
            if (piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece.EndsWith('>')
                && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                pending.Add(b);
                continue;
            }
            FlushBytes();
            sb.Append(piece.Replace(Space, ' '));
        }
        FlushBytes();
        var text = sb.ToString();
        return text.StartsWith(' ') ? text[1..] : text;
    }

    /// <summary>The last token of the digit string ("0" → ["▁", "0"]: the bare digit piece, spec 04 §2.1).</summary>
    public int LabelTokenId(int classIndex) => Encode(PromptTemplate.LabelString(classIndex))[^1];
}

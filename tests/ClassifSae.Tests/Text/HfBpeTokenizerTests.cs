using System.Text.Json.Nodes;
using ClassifSae.Text;

namespace ClassifSae.Tests.Text;

/// <summary>
/// A hand-made GPT-NeoX-style tokenizer.json: id 0 "&lt;|endoftext|&gt;", id 1 an added token of two spaces,
/// then the 256 byte-level symbols in GPT-2 order from id 2 (so "!" = 2 and "0" = 17, as in GPT-NeoX), then
/// three merges. Expected ids below were worked out by hand from that layout.
/// </summary>
public sealed class HfBpeTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hftok-").FullName;
    private readonly HfBpeTokenizer _tok;

    public HfBpeTokenizerTests()
    {
        var vocab = new JsonObject();
        var symbols = ByteLevelSymbols();
        for (var i = 0; i < symbols.Count; i++) vocab[symbols[i]] = i + 2;
        vocab["he"] = 258;
        vocab["Ġt"] = 259;
        vocab["Ġthe"] = 260;
        var json = new JsonObject
        {
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 0, ["content"] = "<|endoftext|>", ["special"] = true },
                new JsonObject { ["id"] = 1, ["content"] = "  ", ["special"] = false }),
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray("h e", "Ġ t", "Ġt he") },
        };
        var path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        _tok = HfBpeTokenizer.Load(path);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>GPT-2's byte-to-symbol table: printable bytes first, then the rest mapped from U+0100 on.</summary>
    private static List<string> ByteLevelSymbols()
    {
        var bytes = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToList();
        var chars = bytes.ToList();
        var n = 0;
        for (var b = 0; b < 256; b++)
            if (!bytes.Contains(b)) { bytes.Add(b); chars.Add(256 + n++); }
        return chars.Select(c => ((char)c).ToString()).ToList();
    }

    [Theory]
    [InlineData("the", new[] { 85, 258 })]
    [InlineData(" the", new[] { 260 })]
    [InlineData("a  b", new[] { 66, 1, 67 })]
    [InlineData("x)\n0", new[] { 89, 10, 200, 17 })]
    [InlineData("e\u0301", new[] { 129, 104 })]   // NFC first: é = C3 A9 (unnormalised it would be 70, 138, 225)
    public void Encodes_to_the_hand_computed_ids(string text, int[] expected) => Assert.Equal(expected, _tok.Encode(text));

    [Fact]
    public void Label_tokens_are_looked_up_and_no_special_tokens_are_added()
    {
        Assert.Equal([17, 18, 19, 20], Enumerable.Range(0, 4).Select(_tok.LabelTokenId));
        Assert.Equal(0, _tok.PadId);
        Assert.Equal(261, _tok.VocabSize);
        var tail = _tok.Encode(PromptTemplate.AgNews().Full("x", 2))[^4..];
        // ")" then " " (byte 32, the 33rd non-printable: id 2 + 188 + 32) then "\n" then "2", as GPT-NeoX splits it.
        Assert.Equal([10, 222, 200, 19], tail);
    }

    [Fact]
    public void Decoding_round_trips()
    {
        Assert.Equal("the  x)\n0", _tok.Decode(_tok.Encode("the  x)\n0")));
    }

    [Fact]
    public void A_literal_end_of_text_token_survives_decoding()
    {
        // transformers' decode(ids) keeps special tokens; id 0 used to be dropped as padding.
        Assert.Equal([85, 258, 0, 67], _tok.Encode("the<|endoftext|>b"));
        Assert.Equal("the<|endoftext|>b", _tok.Decode([85, 258, 0, 67]));
        Assert.Equal("<|endoftext|><|endoftext|>", _tok.Decode([0, 0]));
    }

    [Fact]
    public void An_unsupported_model_type_is_rejected()
    {
        var path = Path.Combine(_dir, "wp.json");
        File.WriteAllText(path, """{"model":{"type":"WordPiece","vocab":{}}}""");
        var e = Assert.Throws<InvalidDataException>(() => HfBpeTokenizer.Load(path));
        Assert.Contains("model type", e.Message);
    }
}

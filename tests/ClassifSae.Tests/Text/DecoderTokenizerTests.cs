using System.Text.Json.Nodes;
using ClassifSae.Text;

namespace ClassifSae.Tests.Text;

/// <summary>
/// Known-answer tests of the tokenizer.json layouts of the decoder families, on tiny files written here. Byte-level files
/// give byte b the id b (so ids read as bytes); expected ids were worked out by hand from each file's split rule and merges.
/// </summary>
public sealed class DecoderTokenizerTests : IDisposable
{
    private const string Llama3Split = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    private const string Qwen2Split = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private readonly string _dir = Directory.CreateTempSubdirectory("dectok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ByteSymbol(int b)
    {
        var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        if (printable) return ((char)b).ToString();
        var n = Enumerable.Range(0, b).Count(x => !(x is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF));
        return ((char)(256 + n)).ToString();
    }

    private string Write(string name, JsonObject json)
    {
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    /// <summary>Byte-level file: bytes 0..255, then "ab" 256, "34" 257, ")Ċ" 258, "Ġt" 259, "abc" 260 (no merge makes it), two added tokens.</summary>
    private string ByteLevelFile(string split, bool ignoreMerges, string? normalizer, string endOfText)
    {
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++) vocab[ByteSymbol(b)] = b;
        vocab["ab"] = 256;
        vocab["34"] = 257;
        vocab[")Ċ"] = 258;
        vocab["Ġt"] = 259;
        vocab["abc"] = 260;
        return Write("bytelevel-" + Guid.NewGuid().ToString("N"), new JsonObject
        {
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 261, ["content"] = "<|begin_of_text|>", ["special"] = true },
                new JsonObject { ["id"] = 262, ["content"] = endOfText, ["special"] = true }),
            ["normalizer"] = normalizer is null ? null : new JsonObject { ["type"] = normalizer },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = split }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["ignore_merges"] = ignoreMerges, ["vocab"] = vocab,
                ["merges"] = new JsonArray("a b", "3 4", ") Ċ", "Ġ t"),
            },
        });
    }

    private ITextTokenizer Llama3() => HfTokenizerJson.Load(ByteLevelFile(Llama3Split, ignoreMerges: true, normalizer: null, "<|end_of_text|>"));
    private ITextTokenizer Qwen2() => HfTokenizerJson.Load(ByteLevelFile(Qwen2Split, ignoreMerges: false, normalizer: "NFC", "<|endoftext|>"));

    [Theory]
    [InlineData("12345", new[] { 49, 50, 51, 52, 53 })]       // digits in groups of three: "123" "45", so the "3 4" merge cannot apply
    [InlineData("34", new[] { 257 })]
    [InlineData("abc", new[] { 260 })]                         // ignore_merges: a pre-token in the vocabulary is that entry (BPE gives "ab" "c")
    [InlineData("x)\n0", new[] { 120, 258, 48 })]              // ")\n" is one pre-token
    [InlineData(" tab", new[] { 259, 256 })]                   // "a b" (rank 0) before "Ġ t" (rank 3)
    [InlineData("hi<|end_of_text|>", new[] { 104, 105, 262 })]
    [InlineData("e\u0301", new[] { 101, 204, 129 })]           // no normaliser: e + U+0301
    public void Llama3_byte_level_bpe_encodes_to_the_hand_computed_ids(string text, int[] expected) => Assert.Equal(expected, Llama3().Encode(text));

    [Theory]
    [InlineData("34", new[] { 51, 52 })]                        // single digits
    [InlineData("abc", new[] { 256, 99 })]                      // no ignore_merges: plain BPE
    [InlineData("e\u0301", new[] { 195, 169 })]                 // NFC first: é = C3 A9
    public void Qwen2_byte_level_bpe_encodes_to_the_hand_computed_ids(string text, int[] expected) => Assert.Equal(expected, Qwen2().Encode(text));

    [Fact]
    public void Byte_level_pad_label_tokens_and_decoding()
    {
        var llama = Llama3();
        Assert.IsType<HfBpeTokenizer>(llama);
        Assert.Equal(262, llama.PadId);
        Assert.Equal(263, llama.VocabSize);
        Assert.Equal([48, 49, 50, 51], Enumerable.Range(0, 4).Select(llama.LabelTokenId));
        Assert.Equal("x)\n0 tab 12345", llama.Decode(llama.Encode("x)\n0 tab 12345")));
        Assert.Equal(262, Qwen2().PadId);
    }

    /// <summary>SentencePiece file: &lt;unk&gt; &lt;s&gt; &lt;/s&gt;, the 256 byte tokens (ids 3…258), then pieces; merges in rank order.</summary>
    private ITextTokenizer SentencePiece(bool metaspace = false)
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (var b = 0; b < 256; b++) vocab[$"<0x{b:X2}>"] = 3 + b;
        string[] pieces = ["▁", "h", "e", "l", "o", "0", "1", "x", ")", "he", "ll", "▁he", "llo", "▁hello", "é"];
        for (var i = 0; i < pieces.Length; i++) vocab[pieces[i]] = 259 + i;
        var json = new JsonObject
        {
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 0, ["content"] = "<unk>", ["special"] = true },
                new JsonObject { ["id"] = 1, ["content"] = "<s>", ["special"] = true },
                new JsonObject { ["id"] = 2, ["content"] = "</s>", ["special"] = true }),
            ["normalizer"] = metaspace ? null : new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Prepend", ["prepend"] = "▁" },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" }),
            },
            ["pre_tokenizer"] = metaspace ? new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = false } : null,
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["byte_fallback"] = true, ["fuse_unk"] = true, ["unk_token"] = "<unk>", ["vocab"] = vocab,
                ["merges"] = new JsonArray("h e", "l l", "▁ he", "ll o", "▁he llo"),
            },
        };
        return HfTokenizerJson.Load(Write("sp-" + Guid.NewGuid().ToString("N"), json));
    }

    [Theory]
    [InlineData("hello", new[] { 272 })]                                   // he, ll, ▁he, llo, ▁hello
    [InlineData("he llo", new[] { 270, 259, 271 })]                        // "▁he▁llo": no merge joins across the second ▁
    [InlineData("x)\n0", new[] { 259, 266, 267, 13, 264 })]                // "\n" is not a piece: <0x0A> = 3 + 10
    [InlineData("hé😀", new[] { 259, 260, 273, 243, 162, 155, 131 })]      // 😀 = F0 9F 98 80, byte tokens 3 + b
    public void Sentencepiece_bpe_with_byte_fallback_encodes_to_the_hand_computed_ids(string text, int[] expected)
    {
        Assert.Equal(expected, SentencePiece().Encode(text));
        Assert.Equal(expected, SentencePiece(metaspace: true).Encode(text));
    }

    [Fact]
    public void Sentencepiece_label_tokens_are_the_bare_digit_pieces_and_decoding_round_trips()
    {
        var tok = SentencePiece();
        Assert.IsType<SentencePieceBpeTokenizer>(tok);
        Assert.Equal([264, 265], Enumerable.Range(0, 2).Select(tok.LabelTokenId));   // "0" → ["▁", "0"]: the last piece
        Assert.Equal(2, tok.PadId);
        Assert.Equal(274, tok.VocabSize);
        Assert.Equal("x)\n0 hé😀 hello", tok.Decode(tok.Encode("x)\n0 hé😀 hello")));
        var tail = tok.Encode(new PromptTemplate(["x", "h"], spaceBeforeFinalNewline: false).Full("he", 1))[^3..];
        Assert.Equal([267, 13, 265], tail);                                   // ")", "\n" as <0x0A>, then the label digit
    }

    [Fact]
    public void An_unsupported_sentencepiece_layout_is_one_line_naming_the_file()
    {
        var path = Write("bad", new JsonObject
        {
            ["model"] = new JsonObject { ["type"] = "BPE", ["byte_fallback"] = true, ["vocab"] = new JsonObject(), ["merges"] = new JsonArray() },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = true },
        });
        var e = Assert.Throws<InvalidDataException>(() => HfTokenizerJson.Load(path));
        Assert.Contains("bad.json: SentencePiece layout not supported", e.Message);
    }
}

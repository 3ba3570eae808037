using ClassifSae.Backbones.DebertaV2;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>Known-answer ids of DeBERTa's Unigram tokenizer on a tokenizer.json whose best splits can be scored by hand.</summary>
public sealed class DebertaV2TokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("deberta-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Ids and log-probability scores: [PAD] 0, [CLS] 1, [SEP] 2, [UNK] 3, ▁ 4 (−2), ▁the 5 (−1), ▁th 6 (−3), e 7 (−2.5),
    // ▁a 8 (−2), b 9 (−3), c 10 (−3), ▁ab 11 (−4), abc 12 (−4.5); [MASK] 13 is an added token only.
    // The shape of deberta-v3's file: Strip + Replace(" {2,}" → " ") normalizer, Metaspace("▁", always), [CLS] $A [SEP].
    private const string TokenizerJson = """
    {
      "version": "1.0",
      "added_tokens": [
        {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 1, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 2, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 3, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
        {"id": 13, "content": "[MASK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
      ],
      "normalizer": {"type": "Sequence", "normalizers": [
        {"type": "Strip", "strip_left": true, "strip_right": true},
        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}
      ]},
      "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}]},
      "post_processor": {"type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
        "pair": [], "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}}},
      "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
      "model": {"type": "Unigram", "unk_id": 3, "byte_fallback": false, "vocab": [
        ["[PAD]", 0.0], ["[CLS]", 0.0], ["[SEP]", 0.0], ["[UNK]", 0.0], ["▁", -2.0], ["▁the", -1.0], ["▁th", -3.0], ["e", -2.5],
        ["▁a", -2.0], ["b", -3.0], ["c", -3.0], ["▁ab", -4.0], ["abc", -4.5]
      ]}
    }
    """;

    private DebertaV2Tokenizer Load(string json = TokenizerJson)
    {
        var path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, json);
        return DebertaV2Tokenizer.Load(path);
    }

    [Theory]
    // "▁the": ▁the (−1) beats ▁th + e (−5.5).
    [InlineData("the", new[] { 5 })]
    // "▁ab": ▁ab (−4) beats ▁a + b (−5).
    [InlineData("ab", new[] { 11 })]
    // "▁abc": ▁ + abc (−6.5) beats ▁ab + c (−7) and ▁a + b + c (−8): the best total, not the longest first piece.
    [InlineData("abc", new[] { 4, 12 })]
    [InlineData("the ab", new[] { 5, 11 })]
    // Leading, trailing and repeated spaces are cleaned up before "▁" is prepended.
    [InlineData("  the    ab ", new[] { 5, 11 })]
    // A character no piece covers is [UNK].
    [InlineData("the x", new[] { 5, 4, 3 })]
    // A run of them is one [UNK] (transformers' Unigram fuses unknowns, as SentencePiece does).
    [InlineData("the xyz", new[] { 5, 4, 3 })]
    [InlineData("xy abc zz", new[] { 4, 3, 4, 12, 4, 3 })]
    public void Encodes_known_ids(string text, int[] expected)
    {
        Assert.Equal(expected, Load().Encode(text));
    }

    [Fact]
    public void A_sequence_is_wrapped_in_cls_and_sep_and_pads_with_pad()
    {
        var tok = Load();
        Assert.Equal([1, 5, 4, 12, 2], tok.EncodeSequence("the abc"));
        Assert.Equal((1, 2, 0, 14), (tok.StartId, tok.EndId, tok.PadId, tok.VocabSize));
    }

    [Fact]
    public void Unsupported_files_are_refused_with_a_reason()
    {
        var punct = TokenizerJson.Replace("""[{"type": "Metaspace",""", """[{"type": "Punctuation", "behavior": "isolated"}, {"type": "Metaspace",""");
        Assert.Contains("split_by_punct is not supported", Assert.Throws<InvalidDataException>(() => Load(punct)).Message);
        var bpe = TokenizerJson.Replace("\"type\": \"Unigram\"", "\"type\": \"BPE\"");
        Assert.Contains("tokenizer.json: model type 'BPE' is not supported (expected Unigram)", Assert.Throws<InvalidDataException>(() => Load(bpe)).Message);
    }
}

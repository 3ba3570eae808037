using ClassifSae.Backbones.Roberta;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>Known-answer ids of RoBERTa's byte-level BPE on a tokenizer.json small enough to merge by hand.</summary>
public sealed class RobertaTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("roberta-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Ids: <s> 0, <pad> 1, </s> 2, <unk> 3, Ġ 4 (byte-level space), h 5, e 6, l 7, o 8, ll 9, he 10, hell 11, Ġh 12.
    // Merges by rank: "l l", "h e", "he ll", "Ġ h".
    private const string TokenizerJson = """
    {
      "version": "1.0",
      "added_tokens": [
        {"id": 0, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true},
        {"id": 1, "content": "<pad>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true},
        {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true},
        {"id": 3, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true}
      ],
      "normalizer": null,
      "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
      "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": true, "add_prefix_space": false},
      "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
      "model": {
        "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": false,
        "vocab": {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "Ġ": 4, "h": 5, "e": 6, "l": 7, "o": 8, "ll": 9, "he": 10, "hell": 11, "Ġh": 12},
        "merges": ["l l", "h e", "he ll", "Ġ h"]
      }
    }
    """;

    private RobertaTokenizer Load(string json = TokenizerJson)
    {
        var path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, json);
        return RobertaTokenizer.Load(path);
    }

    [Theory]
    // "hello": l l → ll (rank 0), h e → he (1), he ll → hell (2); "hell o" is no merge.
    [InlineData("hello", new[] { 11, 8 })]
    // " hello" is one pre-token "Ġhello": the ranks merge h-e-l-l first, so "Ġ h" (rank 3) never gets its chance.
    [InlineData("hello hello", new[] { 11, 8, 4, 11, 8 })]
    // No pair of "hole" is a merge.
    [InlineData("hole", new[] { 5, 8, 7, 6 })]
    // " h": Ġ h → Ġh.
    [InlineData("oh h", new[] { 8, 5, 12 })]
    // Special tokens written in the text are matched whole.
    [InlineData("<s>he</s>", new[] { 0, 10, 2 })]
    public void Encodes_known_ids(string text, int[] expected)
    {
        Assert.Equal(expected, Load().Encode(text));
    }

    [Fact]
    public void A_sequence_is_wrapped_in_s_and_end_s_and_pads_with_the_pad_token()
    {
        var tok = Load();
        Assert.Equal([0, 11, 8, 4, 11, 8, 2], tok.EncodeSequence("hello hello"));
        Assert.Equal((0, 2, 1, 13), (tok.StartId, tok.EndId, tok.PadId, tok.VocabSize));
        Assert.Equal("<s>hello hello</s>", tok.Decode([0, 11, 8, 4, 11, 8, 2]));
    }

    [Fact]
    public void A_template_post_processor_and_a_padding_section_are_read_too()
    {
        var json = TokenizerJson
            .Replace("""{"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": true, "add_prefix_space": false}""",
                """{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "</s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<s>", "type_id": 0}}], "pair": [], "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]}, "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}}""")
            .Replace("\"normalizer\": null,", "\"normalizer\": null, \"padding\": {\"pad_id\": 3},");
        var tok = Load(json);
        Assert.Equal((2, 0, 3), (tok.StartId, tok.EndId, tok.PadId));
    }

    [Fact]
    public void A_file_without_a_post_processor_is_refused_with_its_path()
    {
        var e = Assert.Throws<InvalidDataException>(() => Load(TokenizerJson.Replace("\"post_processor\"", "\"unused\"")));
        Assert.Contains("tokenizer.json: no 'post_processor'", e.Message);
    }
}

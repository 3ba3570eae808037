using ClassifSae.Backbones.Bert;
using System.Text.Json.Nodes;
using ClassifSae.SentenceEncoders.MiniLm;

namespace ClassifSae.Tests.SentenceEncoders;

/// <summary>Hand-worked ids over <see cref="TinyBertFolder.Vocab"/> (2 = [CLS], 3 = [SEP], 1 = [UNK]).</summary>
public sealed class BertWordPieceTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wordpiece-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder(string name = "tok") => TinyBertFolder.Create(Path.Combine(_dir, name));

    [Theory]
    // lower-casing and accent stripping (precomposed and combining), "##" continuation, punctuation split
    [InlineData("The Café played!", new[] { 2, 5, 13, 14, 16, 12, 3 })]
    [InlineData("CAFE\u0301", new[] { 2, 13, 3 })]
    [InlineData("Playing", new[] { 2, 14, 15, 3 })]
    // greedy longest match inside a word, then a suffix piece; "," and "." are words of their own
    [InlineData("Unbelievable, dogs ran.", new[] { 2, 17, 18, 19, 11, 24, 35, 25, 10, 3 })]
    // BERT punctuation includes ASCII symbols: "$" and "_" split off; a word with no cover is one [UNK]
    [InlineData("$50 zebra", new[] { 2, 20, 21, 22, 1, 3 })]
    [InlineData("hello_world", new[] { 2, 33, 31, 34, 3 })]
    [InlineData("New-York stock market's", new[] { 2, 28, 30, 29, 38, 39, 26, 27, 3 })]
    // newline and tab are whitespace (not deleted), CJK ideographs are words of their own
    [InlineData("hello\nworld\tis  good", new[] { 2, 33, 34, 36, 37, 3 })]
    [InlineData("hello中world", new[] { 2, 33, 32, 34, 3 })]
    // U+2B820 opens CJK Extension E but lies before the Rust tokenizer's U+2B920 range start: not split off
    [InlineData("hello\U0002B820world", new[] { 2, 1, 3 })]
    [InlineData("hello\U0002B920world", new[] { 2, 33, 1, 34, 3 })]
    // an unassigned code point (U+0378) is kept, as transformers does, and is a word with no cover: [UNK]
    [InlineData("hello \u0378", new[] { 2, 33, 1, 3 })]
    [InlineData("hello\u0378", new[] { 2, 1, 3 })]
    // special tokens are matched in the raw text, case-sensitively, before lower-casing
    [InlineData("hello [SEP] world", new[] { 2, 33, 3, 34, 3 })]
    [InlineData("hello [sep]", new[] { 2, 33, 1, 1, 1, 3 })]
    [InlineData("", new[] { 2, 3 })]
    public void Known_texts_give_hand_worked_ids(string text, int[] expected)
    {
        var tokenizer = BertWordPieceTokenizer.Load(Folder(), maxSeqLength: 64);
        Assert.Equal(expected, tokenizer.Encode(text));
    }

    [Fact]
    public void Truncation_cuts_word_pieces_and_keeps_sep_last()
    {
        var tokenizer = BertWordPieceTokenizer.Load(Folder(), maxSeqLength: 6);
        // un ##believ ##able dog | ##s ran . — cut inside "dogs", as HF truncates pieces, not words
        Assert.Equal([2, 17, 18, 19, 24, 3], tokenizer.Encode("Unbelievable dogs ran."));
        Assert.Equal([2, 5, 6, 3], tokenizer.Encode("the cat"));
        // a special token in the text counts against the budget like any piece
        Assert.Equal([2, 33, 3, 34, 34, 3], tokenizer.Encode("hello [SEP] world world world"));
    }

    [Fact]
    public void A_tokenizer_json_alone_gives_the_same_ids_as_vocab_txt()
    {
        var folder = Folder();
        var text = "The Café played! Unbelievable, dogs ran: $50 hello_world 中";
        var fromVocabTxt = BertWordPieceTokenizer.Load(folder, 64).Encode(text);
        File.Delete(Path.Combine(folder, "vocab.txt"));
        File.Delete(Path.Combine(folder, "tokenizer_config.json"));
        var vocab = new JsonObject();
        // Written in a shuffled order: ids, not positions, must decide.
        foreach (var i in Enumerable.Range(0, TinyBertFolder.Vocab.Length).Reverse()) vocab[TinyBertFolder.Vocab[i]] = i;
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), new JsonObject
        {
            ["normalizer"] = new JsonObject { ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = true },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["model"] = new JsonObject { ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = vocab },
        }.ToJsonString());
        Assert.Equal(fromVocabTxt, BertWordPieceTokenizer.Load(folder, 64).Encode(text));
        Assert.Equal([2, 5, 13, 14, 16, 12, 17, 18, 19, 11, 24, 35, 25, 1, 20, 21, 22, 33, 31, 34, 32, 3], fromVocabTxt);
    }

    [Fact]
    public void A_cased_tokenizer_config_keeps_case_and_accents()
    {
        var folder = Folder();
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"do_lower_case": false}""");
        var tokenizer = BertWordPieceTokenizer.Load(folder, 64);
        Assert.Equal([2, 1, 6, 1, 3], tokenizer.Encode("The cat café"));
    }

    [Fact]
    public void Sentence_transformers_lower_casing_applies_to_the_raw_text()
    {
        var folder = Folder();
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"do_lower_case": false}""");
        var tokenizer = BertWordPieceTokenizer.Load(folder, 64, lowerCaseInput: true);
        // "[SEP]" is lower-cased before special tokens are matched, as sentence-transformers does.
        Assert.Equal([2, 5, 6, 1, 1, 1, 3], tokenizer.Encode("The CAT [SEP]"));
    }
}

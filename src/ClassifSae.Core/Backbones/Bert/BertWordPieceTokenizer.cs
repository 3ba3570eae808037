using System.Text;
using Microsoft.ML.Tokenizers;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// sentence-transformers' input side of a BERT model: [CLS] word pieces [SEP], truncated to
/// <see cref="MaxSeqLength"/> ids including both specials (the pieces are cut, [SEP] stays last).
/// WordPiece itself (greedy longest match, "##" continuations, [UNK] for a word that cannot be covered) is
/// Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>; normalisation and pre-tokenisation are HF's
/// (<see cref="HfBertNormalizer"/>, <see cref="HfBertPreTokenizer"/>). Special tokens written in the raw
/// text (e.g. "[SEP]") are matched before normalisation, as HF's added tokens are.
/// </summary>
public sealed class BertWordPieceTokenizer
{
    private readonly BertTokenizer _wordPiece;
    private readonly (string Text, int Id)[] _specials;

    public int MaxSeqLength { get; }
    public bool LowerCaseInput { get; }
    public int ClsId => _wordPiece.ClassificationTokenId;
    public int SepId => _wordPiece.SeparatorTokenId;
    public int PadId => _wordPiece.PaddingTokenId;
    public int UnknownId => _wordPiece.UnknownTokenId;
    /// <summary>One past the largest id of the vocabulary.</summary>
    public int VocabSize { get; }

    private BertWordPieceTokenizer(BertTokenizer wordPiece, int vocabSize, int maxSeqLength, bool lowerCaseInput)
    {
        (_wordPiece, VocabSize, MaxSeqLength, LowerCaseInput) = (wordPiece, vocabSize, maxSeqLength, lowerCaseInput);
        _specials =
        [
            (wordPiece.ClassificationToken, wordPiece.ClassificationTokenId), (wordPiece.SeparatorToken, wordPiece.SeparatorTokenId),
            (wordPiece.PaddingToken, wordPiece.PaddingTokenId), (wordPiece.MaskingToken, wordPiece.MaskingTokenId),
            (wordPiece.UnknownToken, wordPiece.UnknownTokenId),
        ];
    }

    /// <param name="maxSeqLength">Ids per text including [CLS] and [SEP] (sentence-transformers' max_seq_length).</param>
    /// <param name="lowerCaseInput">sentence-transformers' own do_lower_case: lower-case the raw text first.</param>
    public static BertWordPieceTokenizer Load(string folder, int maxSeqLength, bool lowerCaseInput = false)
    {
        if (maxSeqLength < 2) throw new ArgumentOutOfRangeException(nameof(maxSeqLength), $"max_seq_length {maxSeqLength} leaves no room for [CLS] and [SEP]");
        var files = BertTokenizerFiles.Load(folder);
        var options = new BertOptions
        {
            Normalizer = new HfBertNormalizer(files.LowerCase, files.StripAccents, files.HandleChineseChars),
            PreTokenizer = HfBertPreTokenizer.Instance,
            MaxInputCharsPerWord = files.MaxInputCharsPerWord,
            LowerCaseBeforeTokenization = files.LowerCase,
            // Raw-text special tokens are split here (see SplitSpecials), not after lower-casing as the library would.
            SplitOnSpecialTokens = false,
        };
        BertTokenizer wordPiece;
        try
        {
            using var vocab = new MemoryStream(Encoding.UTF8.GetBytes(files.VocabText));
            wordPiece = BertTokenizer.Create(vocab, options);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
        {
            // Duplicate lines, or one of [CLS] [SEP] [PAD] [MASK] [UNK] missing.
            throw new InvalidDataException($"{files.VocabSource}: not a usable BERT vocabulary ({e.Message})");
        }
        return new BertWordPieceTokenizer(wordPiece, LineCount(files.VocabText), maxSeqLength, lowerCaseInput);
    }

    /// <summary>Lines as the vocabulary reader counts them (line i = id i).</summary>
    private static int LineCount(string text)
    {
        using var reader = new StringReader(text);
        var n = 0;
        while (reader.ReadLine() is not null) n++;
        return n;
    }

    /// <summary>[CLS] pieces [SEP], at most <see cref="MaxSeqLength"/> ids.</summary>
    public int[] Encode(string text)
    {
        var input = LowerCaseInput ? text.ToLowerInvariant() : text;
        var budget = MaxSeqLength - 2;
        var ids = new List<int>(Math.Min(budget, input.Length) + 2) { ClsId };
        foreach (var (segment, specialId) in SplitSpecials(input))
        {
            if (ids.Count - 1 >= budget) break;
            if (specialId is { } id) ids.Add(id);
            else ids.AddRange(_wordPiece.EncodeToIds(segment, addSpecialTokens: false).Take(budget - (ids.Count - 1)));
        }
        ids.Add(SepId);
        return ids.ToArray();
    }

    /// <summary>The text of word-piece ids ("##" pieces joined to the word before), special tokens included.</summary>
    public string Decode(IEnumerable<int> ids) => _wordPiece.Decode(ids, skipSpecialTokens: false) ?? "";

    /// <summary>The raw text cut at exact occurrences of the special tokens, in order: (text, null) or (token, id).</summary>
    private IEnumerable<(string Segment, int? SpecialId)> SplitSpecials(string text)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            var (at, which) = (-1, -1);
            for (var k = 0; k < _specials.Length; k++)
            {
                var i = text.IndexOf(_specials[k].Text, pos, StringComparison.Ordinal);
                if (i >= 0 && (at < 0 || i < at)) (at, which) = (i, k);
            }
            if (at < 0)
            {
                yield return (text[pos..], null);
                yield break;
            }
            if (at > pos) yield return (text[pos..at], null);
            yield return (_specials[which].Text, _specials[which].Id);
            pos = at + _specials[which].Text.Length;
        }
    }
}

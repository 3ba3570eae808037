using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// Hugging Face's <c>BertPreTokenizer</c>: split on whitespace, and make every punctuation character a word
/// of its own. Punctuation is BERT's: all ASCII non-alphanumeric symbols (so "$", "+", "_" and "^" split too)
/// plus every Unicode P* character. Microsoft.ML.Tokenizers' word-or-punctuation regex instead drops
/// symbols such as "$" and keeps "_" inside words, which would change AG News token sequences.
/// </summary>
public sealed class HfBertPreTokenizer : PreTokenizer
{
    public static HfBertPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text.AsSpan());

    private static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var words = new List<(int, int)>();
        var start = -1;
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed);
            var space = Rune.IsWhiteSpace(rune);
            var punct = !space && IsPunctuation(rune);
            if (space || punct)
            {
                if (start >= 0) words.Add((start, i - start));
                start = -1;
                if (punct) words.Add((i, consumed));
            }
            else if (start < 0)
            {
                start = i;
            }
            i += consumed;
        }
        if (start >= 0) words.Add((start, text.Length - start));
        return words;
    }

    public static bool IsPunctuation(Rune r)
    {
        if (r.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }
}

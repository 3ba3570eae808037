using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// Hugging Face's BERT normaliser (the <c>BertNormalizer</c> of tokenizer.json, which sentence-transformers runs):
/// drop NUL, U+FFFD and "other" characters (Cc, Cf, Co, Cs) except tab/newline/CR, map every whitespace
/// to a space, space out CJK ideographs, strip accents (NFD, drop Mn), lower-case — in that order.
/// Written out because Microsoft.ML.Tokenizers' own BertNormalizer drops \n and \t instead of treating them as
/// spaces ("a\nb" would become "ab") and keeps format characters such as zero-width spaces.
/// </summary>
public sealed class HfBertNormalizer(bool lowerCase, bool stripAccents, bool handleChineseChars) : Normalizer
{
    public bool LowerCase { get; } = lowerCase;
    public bool StripAccents { get; } = stripAccents;
    public bool HandleChineseChars { get; } = handleChineseChars;

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

    public override string Normalize(string original)
    {
        var sb = new StringBuilder(original.Length + 8);
        foreach (var rune in Clean(original))
        {
            if (HandleChineseChars && IsChineseChar(rune.Value)) sb.Append(' ').Append(rune.ToString()).Append(' ');
            else sb.Append(rune.ToString());
        }
        var text = sb.ToString();
        if (StripAccents)
        {
            var decomposed = text.Normalize(NormalizationForm.FormD);
            sb.Clear();
            foreach (var rune in decomposed.EnumerateRunes())
                if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) sb.Append(rune.ToString());
            text = sb.ToString();
        }
        // Invariant lower-casing equals Rust's to_lowercase except for rare context rules (final sigma).
        return LowerCase ? text.ToLowerInvariant() : text;
    }

    /// <summary>clean_text: control/format/private-use characters removed, whitespace made ' '.</summary>
    private static IEnumerable<Rune> Clean(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            // A lone surrogate decodes as U+FFFD, which HF drops as well.
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            i += consumed;
            if (rune.Value is 0 or 0xFFFD) continue;
            var isTabOrNewline = rune.Value is '\t' or '\n' or '\r';
            if (!isTabOrNewline && IsOther(Rune.GetUnicodeCategory(rune))) continue;
            yield return isTabOrNewline || Rune.IsWhiteSpace(rune) ? new Rune(' ') : rune;
        }
    }

    /// <summary>
    /// The Rust tokenizer's is_other: its category tables come from UnicodeData.txt, which lists no Cn code point,
    /// so unassigned characters are kept (and become [UNK]), as transformers does.
    /// </summary>
    private static bool IsOther(UnicodeCategory c) => c is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    /// <summary>
    /// The CJK blocks of the Rust tokenizer's is_chinese_char: the last range starts at U+2B920, so U+2B820–U+2B91F
    /// (the start of Extension E) are not spaced out.
    /// </summary>
    public static bool IsChineseChar(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B920 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}

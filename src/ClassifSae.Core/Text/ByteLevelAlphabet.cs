using System.Text;

namespace ClassifSae.Text;

/// <summary>GPT-2's byte-to-symbol table of byte-level BPE: printable bytes map to themselves, the rest to U+0100 onwards.</summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] Symbols = Build();

    private static char[] Build()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    /// <summary>The vocabulary key of a text piece: its UTF-8 bytes as symbols.</summary>
    public static string Encode(string piece)
    {
        var bytes = Encoding.UTF8.GetBytes(piece);
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes) sb.Append(Symbols[b]);
        return sb.ToString();
    }
}

using System.Text;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// Writes the few fields of SentencePiece's <c>ModelProto</c> (sentencepiece_model.proto) that a Unigram model needs, so a
/// tokenizer.json's vocabulary can be handed to Microsoft.ML.Tokenizers' SentencePieceTokenizer, which reads only that format:
/// pieces (piece 1, score 2, type 3), trainer_spec (model_type 3, byte_fallback 35, unk/bos/eos/pad ids 40–43) and
/// normalizer_spec (name 1, precompiled_charsmap 2, add_dummy_prefix 3, remove_extra_whitespaces 4, escape_whitespaces 5).
/// </summary>
public static class SentencePieceModelProto
{
    public enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }

    public sealed record Piece(string Text, float Score, PieceType Type);

    public sealed record Normalizer(byte[]? PrecompiledCharsmap, bool AddDummyPrefix, bool RemoveExtraWhitespaces, bool EscapeWhitespaces = true);

    public static byte[] Unigram(IReadOnlyList<Piece> pieces, int unkId, int bosId, int eosId, int padId, bool byteFallback, Normalizer normalizer)
    {
        var model = new MemoryStream();
        foreach (var p in pieces)
        {
            var piece = new MemoryStream();
            Bytes(piece, 1, Encoding.UTF8.GetBytes(p.Text));
            Float(piece, 2, p.Score);
            Varint(piece, 3, (int)p.Type);
            Bytes(model, 1, piece.ToArray());
        }
        var trainer = new MemoryStream();
        Varint(trainer, 3, 1); // UNIGRAM
        Varint(trainer, 4, pieces.Count);
        Varint(trainer, 35, byteFallback ? 1 : 0);
        Varint(trainer, 40, unkId);
        Varint(trainer, 41, bosId);
        Varint(trainer, 42, eosId);
        Varint(trainer, 43, padId);
        Bytes(model, 2, trainer.ToArray());
        var norm = new MemoryStream();
        Bytes(norm, 1, Encoding.UTF8.GetBytes(normalizer.PrecompiledCharsmap is null ? "identity" : "nmt_nfkc"));
        if (normalizer.PrecompiledCharsmap is not null) Bytes(norm, 2, normalizer.PrecompiledCharsmap);
        Varint(norm, 3, normalizer.AddDummyPrefix ? 1 : 0);
        Varint(norm, 4, normalizer.RemoveExtraWhitespaces ? 1 : 0);
        Varint(norm, 5, normalizer.EscapeWhitespaces ? 1 : 0);
        Bytes(model, 3, norm.ToArray());
        return model.ToArray();
    }

    private static void Tag(Stream s, int field, int wireType) => Raw(s, (ulong)((field << 3) | wireType));

    private static void Varint(Stream s, int field, long value)
    {
        Tag(s, field, 0);
        Raw(s, unchecked((ulong)value)); // negative int32 ids are 10-byte two's complement varints, as protobuf writes them
    }

    private static void Float(Stream s, int field, float value)
    {
        Tag(s, field, 5);
        s.Write(BitConverter.GetBytes(value)); // little-endian on every platform .NET runs on
    }

    private static void Bytes(Stream s, int field, byte[] value)
    {
        Tag(s, field, 2);
        Raw(s, (ulong)value.Length);
        s.Write(value);
    }

    private static void Raw(Stream s, ulong v)
    {
        while (v >= 0x80)
        {
            s.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        s.WriteByte((byte)v);
    }
}

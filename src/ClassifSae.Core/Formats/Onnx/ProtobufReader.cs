namespace ClassifSae.Formats.Onnx;

/// <summary>
/// The protobuf wire format, read field by field: varints, 64/32-bit fixed values and length-delimited blocks (strings,
/// packed arrays, sub-messages). Enough to walk an ONNX model without a protobuf library or generated classes.
/// </summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data, string source)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public bool End => _pos >= _data.Length;

    /// <summary>The next field's number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public (int Field, int WireType) Tag()
    {
        var tag = Varint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length) throw Corrupt("a varint runs past the end");
            var b = _data[_pos++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw Corrupt("a varint is longer than 10 bytes");
    }

    public ReadOnlySpan<byte> Block()
    {
        var length = Varint();
        if (length > (ulong)(_data.Length - _pos)) throw Corrupt("a length-delimited field runs past the end");
        var block = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return block;
    }

    public string String() => System.Text.Encoding.UTF8.GetString(Block());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: Varint(); break;
            case 1: Advance(8); break;
            case 2: Block(); break;
            case 5: Advance(4); break;
            default: throw Corrupt($"unsupported wire type {wireType}");
        }
    }

    private void Advance(int n)
    {
        if (n > _data.Length - _pos) throw Corrupt("a fixed-size field runs past the end");
        _pos += n;
    }

    private InvalidDataException Corrupt(string what) => new($"{source}: not a valid protobuf message ({what} at byte {_pos})");
}

using System.Buffers.Binary;
using System.Text;

namespace ClassifSae.Pipeline.TensorBoard;

/// <summary>
/// A TensorBoard event file: TFRecord records (uint64 length, masked CRC-32C of the length, the bytes, masked CRC-32C of
/// the bytes), each an <c>Event</c> protobuf; the first carries <c>file_version</c>, each later one a scalar
/// (<c>summary.value { tag, simple_value }</c>) with its step and wall time (seconds since 1970). Appended and flushed
/// record by record, so a killed run leaves every record written so far readable.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    private readonly FileStream _stream;

    public EventFileWriter(string path, Func<double>? wallTime = null)
    {
        _wallTime = wallTime ?? (() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var header = new ProtoBytes();
        header.Double(1, _wallTime());
        header.String(3, "brain.Event:2");
        WriteRecord(header.ToArray());
    }

    private readonly Func<double> _wallTime;

    public void Scalar(string tag, long step, float value)
    {
        var summaryValue = new ProtoBytes();
        summaryValue.String(1, tag);
        summaryValue.Float(2, value);
        var summary = new ProtoBytes();
        summary.Message(1, summaryValue);
        var e = new ProtoBytes();
        e.Double(1, _wallTime());
        e.Int64(2, step);
        e.Message(5, summary);
        WriteRecord(e.ToArray());
    }

    private void WriteRecord(byte[] data)
    {
        Span<byte> head = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(head, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(head[8..], Crc32C.Masked(head[..8]));
        Span<byte> foot = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(foot, Crc32C.Masked(data));
        _stream.Write(head);
        _stream.Write(data);
        _stream.Write(foot);
        _stream.Flush();
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>The few protobuf wire encodings an Event needs.</summary>
    private sealed class ProtoBytes
    {
        private readonly MemoryStream _bytes = new();

        public void Double(int field, double v)
        {
            Key(field, 1);
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(b, v);
            _bytes.Write(b);
        }

        public void Float(int field, float v)
        {
            Key(field, 5);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(b, v);
            _bytes.Write(b);
        }

        public void Int64(int field, long v)
        {
            Key(field, 0);
            Varint((ulong)v);
        }

        public void String(int field, string s) => Bytes(field, Encoding.UTF8.GetBytes(s));

        public void Message(int field, ProtoBytes m) => Bytes(field, m.ToArray());

        public byte[] ToArray() => _bytes.ToArray();

        private void Bytes(int field, byte[] b)
        {
            Key(field, 2);
            Varint((ulong)b.Length);
            _bytes.Write(b);
        }

        private void Key(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

        private void Varint(ulong v)
        {
            while (v >= 0x80)
            {
                _bytes.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }
            _bytes.WriteByte((byte)v);
        }
    }
}

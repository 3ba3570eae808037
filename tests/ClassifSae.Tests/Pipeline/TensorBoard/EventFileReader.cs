using System.Buffers.Binary;
using System.Text;
using ClassifSae.Pipeline.TensorBoard;

namespace ClassifSae.Tests.Pipeline.TensorBoard;

/// <summary>
/// Reads a TensorBoard event file independently of the writer: TFRecord framing with both masked CRC-32Cs checked, then
/// the Event protobuf decoded field by field (wall_time 1, step 2, file_version 3, summary 5 → value 1 → tag 1,
/// simple_value 2). A record cut short at the end (a killed writer) ends the file, as TensorBoard treats it.
/// </summary>
public static class EventFileReader
{
    public sealed record Event(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Values);

    public static IReadOnlyList<Event> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        var at = 0;
        while (at + 12 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at, 8));
            var lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4));
            if (lengthCrc != Crc32C.Masked(bytes.AsSpan(at, 8))) throw new InvalidDataException($"{path}: bad length CRC at byte {at}");
            if (at + 12 + (long)length + 4 > bytes.Length) break;
            var data = bytes.AsSpan(at + 12, (int)length);
            var dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4));
            if (dataCrc != Crc32C.Masked(data)) throw new InvalidDataException($"{path}: bad data CRC at byte {at}");
            events.Add(ParseEvent(data.ToArray()));
            at += 12 + (int)length + 4;
        }
        return events;
    }

    /// <summary>Every scalar of the file by tag, in file order.</summary>
    public static IReadOnlyDictionary<string, List<(long Step, float Value)>> Scalars(string path)
    {
        var byTag = new Dictionary<string, List<(long, float)>>();
        foreach (var e in Read(path))
            foreach (var (tag, value) in e.Values)
            {
                if (!byTag.TryGetValue(tag, out var list)) byTag[tag] = list = [];
                list.Add((e.Step, value));
            }
        return byTag;
    }

    /// <summary>The single event file of a TensorBoard run folder.</summary>
    public static string SingleFile(string runFolder) => Directory.GetFiles(runFolder, "events.out.tfevents.*").Single();

    private static Event ParseEvent(byte[] data)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        var values = new List<(string, float)>();
        foreach (var (field, wire, payload, number) in Fields(data))
            switch (field)
            {
                case 1 when wire == 1: wall = BitConverter.Int64BitsToDouble((long)number); break;
                case 2 when wire == 0: step = (long)number; break;
                case 3 when wire == 2: version = Encoding.UTF8.GetString(payload!); break;
                case 5 when wire == 2:
                    foreach (var (vf, vw, value, _) in Fields(payload!))
                        if (vf == 1 && vw == 2) values.Add(ParseValue(value!));
                    break;
            }
        return new Event(wall, step, version, values);
    }

    private static (string, float) ParseValue(byte[] data)
    {
        string tag = "";
        var value = float.NaN;
        foreach (var (field, wire, payload, number) in Fields(data))
        {
            if (field == 1 && wire == 2) tag = Encoding.UTF8.GetString(payload!);
            if (field == 2 && wire == 5) value = BitConverter.Int32BitsToSingle((int)number);
        }
        return (tag, value);
    }

    /// <summary>Protobuf wire fields: varints and fixed values as numbers, length-delimited ones as bytes.</summary>
    private static IEnumerable<(int Field, int Wire, byte[]? Payload, ulong Number)> Fields(byte[] data)
    {
        var at = 0;
        while (at < data.Length)
        {
            var key = Varint(data, ref at);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: yield return (field, wire, null, Varint(data, ref at)); break;
                case 1: yield return (field, wire, null, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at, 8))); at += 8; break;
                case 5: yield return (field, wire, null, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at, 4))); at += 4; break;
                case 2:
                    var n = (int)Varint(data, ref at);
                    yield return (field, wire, data.AsSpan(at, n).ToArray(), 0);
                    at += n;
                    break;
                default: throw new InvalidDataException($"unexpected wire type {wire}");
            }
        }
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong v = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            v |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return v;
        }
    }
}

using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Formats;

/// <summary>
/// Reader and writer for the safetensors format: an 8-byte little-endian header length, a UTF-8 JSON
/// header {name: {dtype, shape, data_offsets}, "__metadata__": {str: str}}, then raw little-endian data.
/// Writes go to a temporary file that is renamed when complete, so a crash never leaves a valid-looking file.
/// </summary>
public static class SafetensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        // The Python library's order (safetensors' Rust core): dtypes from the last-declared down (I64, F64, F32, … BOOL), then
        // names; the header lists them in that order after __metadata__. Same tensors, same bytes as a file it writes.
        var ordered = tensors.OrderByDescending(kv => LibraryDtypeRank(kv.Value.dtype)).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var blobs = new List<byte[]>(ordered.Count);
        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            var bytes = ToBytes(tensor);
            var shape = new JsonArray(tensor.shape.Select(s => (JsonNode)JsonValue.Create(s)).ToArray());
            header[name] = new JsonObject
            {
                ["dtype"] = DtypeName(tensor.dtype),
                ["shape"] = shape,
                ["data_offsets"] = new JsonArray(offset, offset + bytes.LongLength),
            };
            offset += bytes.LongLength;
            blobs.Add(bytes);
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces to an 8-byte boundary, as the reference writer does.
        var padded = (headerBytes.Length + 7) / 8 * 8;
        var headerPadded = new byte[padded];
        Array.Fill(headerPadded, (byte)' ');
        headerBytes.CopyTo(headerPadded, 0);

        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            stream.Write(len);
            stream.Write(headerPadded);
            foreach (var blob in blobs) stream.Write(blob);
        });
    }

    /// <summary>
    /// Reads the tensors of the file one at a time, in file order, handing each to <paramref name="use"/> and disposing it
    /// afterwards: memory holds the header and one tensor (its bytes and the tensor), never the whole file, so shards of
    /// any size load. Returns the largest tensor's byte count (the per-tensor buffer). Same checks as <see cref="Read(string)"/>.
    /// </summary>
    public static long ReadEach(string path, Action<string, Tensor> use)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: safetensors file not found", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        string Fail(string what) => $"{path}: not a valid safetensors file ({what})";
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Length < 8 || stream.Read(lengthBytes) != 8) throw new InvalidDataException(Fail("shorter than the 8-byte header length"));
        var headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLen > (ulong)MaxHeaderBytes || 8 + (long)headerLen > stream.Length)
            throw new InvalidDataException(Fail($"header length {headerLen} exceeds the file size {stream.Length}"));
        var headerBytes = new byte[headerLen];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes) as JsonObject ?? throw new InvalidDataException(Fail("header is not a JSON object"));
        }
        catch (JsonException e) { throw new InvalidDataException(Fail($"header is not valid JSON: {e.Message}")); }
        var dataStart = 8 + (long)headerLen;
        var dataLen = stream.Length - dataStart;
        var entries = new List<(string Name, ScalarType Dtype, long[] Shape, long Begin, long End)>();
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__") continue;
                if (node is not JsonObject entry) throw new InvalidDataException(Fail($"entry '{name}' is not an object"));
                var dtypeName = entry["dtype"]?.GetValue<string>() ?? throw new InvalidDataException(Fail($"tensor '{name}' has no dtype"));
                var (dtype, elemSize) = ParseDtype(dtypeName) ?? throw new InvalidDataException(Fail($"tensor '{name}' has unsupported dtype {dtypeName}"));
                var shape = (entry["shape"] as JsonArray ?? throw new InvalidDataException(Fail($"tensor '{name}' has no shape")))
                    .Select(x => x!.GetValue<long>()).ToArray();
                var offsets = entry["data_offsets"] as JsonArray ?? throw new InvalidDataException(Fail($"tensor '{name}' has no data_offsets"));
                if (offsets.Count != 2) throw new InvalidDataException(Fail($"tensor '{name}' data_offsets must have two entries"));
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                if (shape.Any(x => x < 0)) throw new InvalidDataException(Fail($"tensor '{name}' has a negative dimension"));
                var count = shape.Aggregate(1L, (a, b) => a * b);
                if (begin < 0 || end < begin || end > dataLen)
                    throw new InvalidDataException(Fail($"tensor '{name}' data_offsets [{begin},{end}] fall outside the {dataLen}-byte data section"));
                if (end - begin != count * elemSize)
                    throw new InvalidDataException(Fail($"tensor '{name}' holds {end - begin} bytes but shape [{string.Join(",", shape)}] of {dtypeName} needs {count * elemSize}"));
                entries.Add((name, dtype, shape, begin, end));
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException)
        {
            throw new InvalidDataException(Fail(e.Message));
        }
        long largest = 0;
        foreach (var (name, dtype, shape, begin, end) in entries.OrderBy(e => e.Begin))
        {
            var bytes = end - begin;
            if (bytes > Array.MaxLength) throw new InvalidDataException(Fail($"tensor '{name}' has {bytes} bytes, more than one read buffer holds"));
            largest = Math.Max(largest, bytes);
            using var t = torch.empty(shape, dtype);
            if (bytes > 0)
            {
                var buffer = new byte[bytes];
                stream.Position = dataStart + begin;
                stream.ReadExactly(buffer);
                t.bytes = buffer;
            }
            use(name, t);
        }
        return largest;
    }

    /// <summary>Reads every tensor of the file (on the CPU). Throws <see cref="InvalidDataException"/> with the file name on malformed input.</summary>
    public static Dictionary<string, Tensor> Read(string path) => Read(path, out _);

    public static Dictionary<string, Tensor> Read(string path, out Dictionary<string, string> metadata)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: safetensors file not found", path);
        var data = File.ReadAllBytes(path);
        string Fail(string what) => $"{path}: not a valid safetensors file ({what})";
        if (data.Length < 8) throw new InvalidDataException(Fail("shorter than the 8-byte header length"));
        var headerLen = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (headerLen > (ulong)MaxHeaderBytes || 8 + (long)headerLen > data.Length)
            throw new InvalidDataException(Fail($"header length {headerLen} exceeds the file size {data.Length}"));
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(data, 8, (int)headerLen)) as JsonObject
                     ?? throw new InvalidDataException(Fail("header is not a JSON object"));
        }
        catch (JsonException e) { throw new InvalidDataException(Fail($"header is not valid JSON: {e.Message}")); }

        var dataStart = 8 + (long)headerLen;
        var dataLen = data.LongLength - dataStart;
        metadata = new Dictionary<string, string>();
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__")
                {
                    if (node is JsonObject meta)
                        foreach (var (k, v) in meta) metadata[k] = v?.GetValue<string>() ?? "";
                    continue;
                }
                if (node is not JsonObject entry) throw new InvalidDataException(Fail($"entry '{name}' is not an object"));
                var dtypeName = entry["dtype"]?.GetValue<string>() ?? throw new InvalidDataException(Fail($"tensor '{name}' has no dtype"));
                var (dtype, elemSize) = ParseDtype(dtypeName) ?? throw new InvalidDataException(Fail($"tensor '{name}' has unsupported dtype {dtypeName}"));
                var shape = (entry["shape"] as JsonArray ?? throw new InvalidDataException(Fail($"tensor '{name}' has no shape")))
                    .Select(s => s!.GetValue<long>()).ToArray();
                var offsets = entry["data_offsets"] as JsonArray ?? throw new InvalidDataException(Fail($"tensor '{name}' has no data_offsets"));
                if (offsets.Count != 2) throw new InvalidDataException(Fail($"tensor '{name}' data_offsets must have two entries"));
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                if (shape.Any(s => s < 0)) throw new InvalidDataException(Fail($"tensor '{name}' has a negative dimension"));
                var count = shape.Aggregate(1L, (a, b) => a * b);
                if (begin < 0 || end < begin || end > dataLen)
                    throw new InvalidDataException(Fail($"tensor '{name}' data_offsets [{begin},{end}] fall outside the {dataLen}-byte data section"));
                if (end - begin != count * elemSize)
                    throw new InvalidDataException(Fail($"tensor '{name}' holds {end - begin} bytes but shape [{string.Join(",", shape)}] of {dtypeName} needs {count * elemSize}"));
                var t = torch.empty(shape, dtype);
                if (count > 0)
                {
                    var span = data.AsSpan((int)(dataStart + begin), (int)(end - begin));
                    t.bytes = span;
                }
                result[name] = t;
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new InvalidDataException(Fail(e.Message));
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    private static byte[] ToBytes(Tensor tensor)
    {
        using var c = tensor.detach().cpu().contiguous();
        return c.bytes.ToArray();
    }

    /// <summary>Position of the dtype in the safetensors library's Dtype declaration (BOOL, U8, I8, F8…, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64).</summary>
    private static int LibraryDtypeRank(ScalarType t) => t switch
    {
        ScalarType.Bool => 0,
        ScalarType.Byte => 1,
        ScalarType.Int8 => 2,
        ScalarType.Int16 => 5,
        ScalarType.Float16 => 7,
        ScalarType.BFloat16 => 8,
        ScalarType.Int32 => 9,
        ScalarType.Float32 => 11,
        ScalarType.Float64 => 12,
        ScalarType.Int64 => 13,
        _ => throw new NotSupportedException($"safetensors: dtype {t} is not supported"),
    };

    private static string DtypeName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors: dtype {t} is not supported"),
    };

    private static (ScalarType, int)? ParseDtype(string name) => name switch
    {
        "F32" => (ScalarType.Float32, 4),
        "F16" => (ScalarType.Float16, 2),
        "BF16" => (ScalarType.BFloat16, 2),
        "F64" => (ScalarType.Float64, 8),
        "I64" => (ScalarType.Int64, 8),
        "I32" => (ScalarType.Int32, 4),
        "I16" => (ScalarType.Int16, 2),
        "I8" => (ScalarType.Int8, 1),
        "U8" => (ScalarType.Byte, 1),
        "BOOL" => (ScalarType.Bool, 1),
        _ => null,
    };
}

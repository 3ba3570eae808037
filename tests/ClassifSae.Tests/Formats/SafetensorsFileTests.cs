using System.Buffers.Binary;
using System.Text;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Formats;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Round_trip_keeps_names_shapes_dtypes_values_and_metadata()
    {
        var path = Path.Combine(_dir, "a.safetensors");
        using var f = arange(24, dtype: ScalarType.Float32).reshape(2, 3, 4);
        using var l = tensor(new long[] { -1, 5, long.MaxValue });
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["activations"] = f, ["labels"] = l },
            new Dictionary<string, string> { ["note"] = "x" });
        var back = SafetensorsFile.Read(path, out var meta);
        Assert.Equal([2L, 3, 4], back["activations"].shape);
        Assert.True(back["activations"].allclose(f, rtol: 0, atol: 0));
        Assert.Equal(ScalarType.Int64, back["labels"].dtype);
        Assert.Equal(new long[] { -1, 5, long.MaxValue }, back["labels"].data<long>().ToArray());
        Assert.Equal("x", meta["note"]);
    }

    [Fact]
    public void The_byte_layout_is_the_documented_one()
    {
        var path = Path.Combine(_dir, "b.safetensors");
        using var t = tensor(new float[] { 1.5f, -2f });
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["x"] = t });
        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, n).TrimEnd();
        Assert.Equal("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", header);
        Assert.Equal(1.5f, BitConverter.ToSingle(bytes, 8 + n));
        Assert.Equal(-2f, BitConverter.ToSingle(bytes, 12 + n));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("bad-json")]
    [InlineData("huge-header")]
    [InlineData("offsets")]
    public void Malformed_files_are_rejected_with_the_file_name(string kind)
    {
        var path = Path.Combine(_dir, $"{kind}.safetensors");
        using var t = ones(4, 4);
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["x"] = t });
        var bytes = File.ReadAllBytes(path);
        switch (kind)
        {
            case "truncated": bytes = bytes[..^10]; break;
            case "bad-json": bytes[9] = (byte)'#'; break;
            case "huge-header": BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40); break;
            case "offsets":
                var s = Encoding.UTF8.GetString(bytes).Replace("[0,64]", "[0,60]");
                bytes = Encoding.UTF8.GetBytes(s);
                break;
        }
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        Assert.Contains(path, e.Message);
    }
}

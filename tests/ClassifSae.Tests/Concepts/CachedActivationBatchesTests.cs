using ClassifSae.Concepts.Sae;
using ClassifSae.Formats;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

public sealed class CachedActivationBatchesTests : IDisposable
{
    private const int DIn = 3;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sae-cache-{Guid.NewGuid():N}");

    public CachedActivationBatchesTests()
    {
        // 3 files of 12 rows; row r holds (r, r, r, label = r % 2): global ids 0…35.
        for (var f = 0; f < 3; f++)
        {
            using var scope = NewDisposeScope();
            var ids = arange(12 * f, 12 * (f + 1), dtype: ScalarType.Float32).unsqueeze(1);
            var rows = cat([ids.repeat(1, DIn), ids.remainder(2)], 1).unsqueeze(1);
            SafetensorsFile.Write(Path.Combine(_dir, $"{f}.safetensors"), new Dictionary<string, Tensor> { ["activations"] = rows });
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private long[] ServedIds(int batches, long seed)
    {
        using var loader = new CachedActivationBatches(_dir, DIn, batchSize: 3, rowsPerRead: 6, seed);
        var ids = new List<long>();
        for (var b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var batch = loader.Next();
            Assert.Equal(new long[] { 3, DIn }, batch.X.shape);
            Assert.True(batch.X.select(1, 0).to(ScalarType.Int64).remainder(2).IsEqual(batch.Y));
            ids.AddRange(batch.X.select(1, 0).to(ScalarType.Int64).data<long>().ToArray());
        }
        return ids.ToArray();
    }

    [Fact]
    public void Reads_half_files_in_order_and_mixes_with_the_storage_buffer()
    {
        // First refill reads rows 0–5 into storage, then rows 6–11; 6 of those 12 rows are served (2 batches).
        var first = ServedIds(2, seed: 1);
        Assert.All(first, id => Assert.InRange(id, 0, 11));
        Assert.Equal(6, first.Distinct().Count());
        // Reads continue across files and wrap: 7 refills read rows up to 47 → ids wrap past 35 back to 0.
        var many = ServedIds(14, seed: 1);
        Assert.Equal(first, many.Take(6));
        Assert.Contains(many.Skip(30), id => id >= 24); // later batches reach file 2
        Assert.Equal(many, ServedIds(14, seed: 1));
        Assert.NotEqual(many, ServedIds(14, seed: 2));
    }

    [Fact]
    public void Malformed_cache_file_is_reported()
    {
        using (var bad = zeros(4, 1, DIn)) // one column short
            SafetensorsFile.Write(Path.Combine(_dir, "0.safetensors"), new Dictionary<string, Tensor> { ["activations"] = bad });
        using var loader = new CachedActivationBatches(_dir, DIn, 3, 6, 1);
        var e = Assert.Throws<InvalidDataException>(() => loader.Next());
        Assert.Contains("0.safetensors", e.Message);
        Assert.Contains("[R,1,4]", e.Message);
    }
}

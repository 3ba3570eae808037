using ClassifSae.Concepts.Sae;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>SAE training streams from the shards: what the loader holds depends on its read size and one shard, not on the cache.</summary>
public sealed class CachedActivationBatchesMemoryTests : IDisposable
{
    private const int DIn = 4, RowsPerShard = 100, RowsPerRead = 150, Batch = 50;
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-stream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Cache(int shards)
    {
        var folder = Path.Combine(_dir, shards.ToString());
        Directory.CreateDirectory(folder);
        for (var f = 0; f < shards; f++)
        {
            using var scope = NewDisposeScope();
            var rows = cat([randn(RowsPerShard, DIn), zeros(RowsPerShard, 1)], 1).unsqueeze(1);
            SafetensorsFile.Write(Path.Combine(folder, $"{f}.safetensors"), new Dictionary<string, Tensor> { ["activations"] = rows });
        }
        return folder;
    }

    private static CachedActivationBatches Drain(string folder, int batches)
    {
        var loader = new CachedActivationBatches(folder, DIn, Batch, RowsPerRead, seed: 1);
        for (var b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            loader.Next();
        }
        return loader;
    }

    [Fact]
    public void Resident_rows_do_not_grow_with_the_number_of_shards()
    {
        // 40 batches of 50 = 2 000 rows served: every shard of the 16-shard cache (1 600 rows) is read at least once.
        using var small = Drain(Cache(4), 40);
        using var large = Drain(Cache(16), 40);
        Assert.True(large.ShardsLoaded >= 16, $"{large.ShardsLoaded} shards loaded");
        Assert.Equal(small.MaxResidentRows, large.MaxResidentRows);
        // Read + joined + mixed (2 reads each) + storage + serving + one shard, never the 400 or 1 600 cached rows at once.
        Assert.InRange(large.MaxResidentRows, RowsPerRead, 7 * RowsPerRead + RowsPerShard);
    }
}

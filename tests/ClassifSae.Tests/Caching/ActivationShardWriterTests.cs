using ClassifSae.Caching;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Caching;

public sealed class ActivationShardWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shard-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private int ShardFiles => Directory.GetFiles(Path.Combine(_dir, ActivationShards.ActivationsFolder)).Length;

    [Fact]
    public void Each_shard_is_written_as_soon_as_its_rows_arrive_and_the_writer_never_holds_more_than_one_shard()
    {
        using var scope = NewDisposeScope();
        var hidden = arange(17 * 2, dtype: ScalarType.Float32).reshape(17, 2);
        long[] Ids(int s, int n) => Enumerable.Range(s, n).Select(i => (long)i).ToArray();
        using var writer = new ActivationShardWriter(_dir, rowsPerShard: 4, shuffleSeed: 3);
        var seen = 0;
        foreach (var n in new[] { 3, 3, 9, 2 })   // a batch larger than two shards, and batches that straddle shards
        {
            writer.Append(hidden.narrow(0, seen, n), Ids(seen, n), Ids(seen, n), Ids(seen, n), null);
            seen += n;
            // Every full shard is on disk before the next batch is given; only the remainder is held.
            Assert.Equal(seen / 4, ShardFiles);
            Assert.Equal(seen % 4, writer.BufferedRows);
        }
        Assert.Equal([4, 4, 4, 4, 1], writer.Complete().Select(s => s.Rows));
        Assert.Equal(4, writer.MaxBufferedRows);

        using var back = ActivationShards.Read(_dir);
        using var ordered = back.InDatasetOrder();
        Assert.Equal(Ids(0, 17), ordered.SentenceIndex);
        Assert.True(ordered.Hidden.equal(hidden).all().item<bool>());
        Assert.NotEqual(Ids(0, 17), back.SentenceIndex); // rows were permuted within their shards
        Assert.Equal(Ids(0, 4).ToHashSet(), back.SentenceIndex[..4].ToHashSet());
    }

    [Fact]
    public void Label_logits_must_come_with_every_batch_or_none()
    {
        using var scope = NewDisposeScope();
        using var writer = new ActivationShardWriter(_dir, rowsPerShard: 4, shuffleSeed: null);
        writer.Append(zeros(2, 3), [0, 1], [0, 1], [0, 1], zeros(2, 2));
        Assert.Throws<ArgumentException>(() => writer.Append(zeros(2, 3), [0, 1], [2, 3], [0, 1], null));
    }

    [Fact]
    public void The_shard_size_is_read_from_the_cache_not_from_the_profile()
    {
        using var scope = NewDisposeScope();
        long[] ids = [0, 1, 2, 3, 4, 5, 6];
        using (var writer = new ActivationShardWriter(_dir, rowsPerShard: 3, shuffleSeed: null))
        {
            writer.Append(zeros(7, 2), ids, ids, ids, null);
            writer.Complete();
        }
        Assert.Equal(3, ShardIndex.ReadRowsPerShard(_dir));

        // A cache written before shards.json existed: its first shard's rows.
        File.Delete(Path.Combine(_dir, ShardIndex.FileName));
        Assert.Equal(3, ShardIndex.ReadRowsPerShard(_dir));

        File.WriteAllText(Path.Combine(_dir, ShardIndex.FileName), "{\"rows_per_shard\": 0, \"shards\": []}");
        var e = Assert.Throws<UserError>(() => ShardIndex.ReadRowsPerShard(_dir));
        Assert.Contains("shards.json: rows_per_shard must be a positive integer", e.Message);
    }
}

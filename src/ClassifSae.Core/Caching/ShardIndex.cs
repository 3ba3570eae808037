using System.Text.Json;
using ClassifSae.Formats;

namespace ClassifSae.Caching;

/// <summary>
/// <c>shards.json</c> beside a split's shards: the shard size the cache was written with and each shard's rows and
/// checksum, so that readers (the faithful SAE loader reads half a shard at a time) take the size from the cache
/// itself rather than from a profile key that may have changed since.
/// </summary>
public sealed record ShardIndex(int RowsPerShard, IReadOnlyList<ActivationShards.ShardInfo> Shards)
{
    public const string FileName = "shards.json";

    public static void Write(string splitFolder, ShardIndex index) =>
        AtomicFile.WriteAllText(Path.Combine(splitFolder, FileName), JsonSerializer.Serialize(index, SnakeCaseJson.Options));

    /// <summary>The split's shard size: from <c>shards.json</c>, or for caches written before it existed, the first shard's rows.</summary>
    public static int ReadRowsPerShard(string splitFolder)
    {
        var path = Path.Combine(splitFolder, FileName);
        if (!File.Exists(path)) return ActivationShards.FirstShardRows(splitFolder);
        ShardIndex? index;
        try { index = JsonSerializer.Deserialize<ShardIndex>(File.ReadAllText(path), SnakeCaseJson.Options); }
        catch (JsonException e) { throw new UserError($"{path}: not a shard index ({e.Message}); {ActivationShards.CorruptShard}"); }
        if (index is null || index.RowsPerShard < 1)
            throw new UserError($"{path}: rows_per_shard must be a positive integer; {ActivationShards.CorruptShard}");
        return index.RowsPerShard;
    }
}

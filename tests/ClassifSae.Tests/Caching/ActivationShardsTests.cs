using ClassifSae.Caching;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Caching;

public sealed class ActivationShardsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shards-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CachedSplit Sample(int n, int d, bool logits)
    {
        var hidden = arange(n * d, dtype: ScalarType.Float32).reshape(n, d);
        return new CachedSplit(hidden, Enumerable.Range(0, n).Select(i => (long)(i % 3)).ToArray(),
            Enumerable.Range(0, n).Select(i => (long)i).ToArray(), Enumerable.Range(0, n).Select(i => (long)((i + 1) % 3)).ToArray(),
            logits ? arange(n * 3, dtype: ScalarType.Float32).reshape(n, 3) : null);
    }

    [Fact]
    public void Shards_use_the_original_layout_with_the_predicted_label_as_last_column()
    {
        using var split = Sample(10, 4, logits: false);
        var shards = ActivationShards.Write(_dir, split, rowsPerShard: 4, shuffleSeed: null);
        Assert.Equal([4, 4, 2], shards.Select(s => s.Rows));
        var t = SafetensorsFile.Read(Path.Combine(_dir, "activations", "1.safetensors"));
        Assert.Equal(["activations"], t.Keys);
        Assert.Equal([4L, 1, 5], t["activations"].shape);
        // Row 0 of shard 1 is sentence 4: activations 16..19, predicted label 4 % 3 = 1.
        Assert.Equal(new float[] { 16, 17, 18, 19, 1 }, t["activations"][0, 0].data<float>().ToArray());
    }

    [Fact]
    public void Shuffled_shards_keep_every_row_aligned_with_its_sentence()
    {
        using var split = Sample(50, 3, logits: true);
        ActivationShards.Write(_dir, split, rowsPerShard: 16, shuffleSeed: 7);
        using var back = ActivationShards.Read(_dir);
        Assert.NotEqual(split.SentenceIndex, back.SentenceIndex);
        using var ordered = back.InDatasetOrder();
        Assert.Equal(split.SentenceIndex, ordered.SentenceIndex);
        Assert.Equal(split.Predicted, ordered.Predicted);
        Assert.Equal(split.TrueLabel, ordered.TrueLabel);
        Assert.True(ordered.Hidden.allclose(split.Hidden, rtol: 0, atol: 0));
        Assert.True(ordered.LabelLogits!.allclose(split.LabelLogits!, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_truncated_shard_is_rejected_with_its_path()
    {
        using var split = Sample(8, 2, logits: false);
        ActivationShards.Write(_dir, split, rowsPerShard: 4, shuffleSeed: null);
        var path = Path.Combine(_dir, "activations", "1.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var e = Assert.Throws<InvalidDataException>(() => ActivationShards.Read(_dir));
        Assert.Contains(path, e.Message);
    }
}

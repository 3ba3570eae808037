using ClassifSae.Concepts.Sae;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

public class FeatureStatisticsTests
{
    [Fact]
    public void Feature_is_dead_after_more_than_window_steps_without_firing()
    {
        using var scope = NewDisposeScope();
        using var stats = new FeatureStatistics(dSae: 2, deadWindow: 100);
        var onlyFirst = tensor(new float[] { 1, 0, 0, 0 }, [2, 2]);
        for (var s = 0; s < 100; s++) stats.Update(onlyFirst);
        Assert.False(stats.DeadMask()[1].item<bool>()); // 100 steps: not yet "more than" 100
        stats.Update(onlyFirst);
        Assert.True(stats.DeadMask()[1].item<bool>());
        Assert.False(stats.DeadMask()[0].item<bool>());
        stats.Update(tensor(new float[] { 0, 0, 0, 3 }, [2, 2]));
        Assert.False(stats.DeadMask()[1].item<bool>());
    }

    [Fact]
    public void Sparsity_is_log10_firing_frequency_over_the_window()
    {
        using var scope = NewDisposeScope();
        using var stats = new FeatureStatistics(dSae: 3, deadWindow: 100);
        stats.Update(tensor(new float[] { 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0 }, [4, 3]));
        var s = stats.LogSparsity();
        Assert.Equal(Math.Log10(0.75 + 1e-10), s[0].item<float>(), 5);
        Assert.Equal(-10.0, s[1].item<float>(), 4);
        stats.ResetWindow();
        stats.Update(tensor(new float[] { 0, 2, 0 }, [1, 3]));
        Assert.Equal(0.0, stats.LogSparsity()[1].item<float>(), 5);
        Assert.Equal(-10.0, stats.LogSparsity()[0].item<float>(), 4);
    }
}

public class InMemoryActivationBatchesTests
{
    [Fact]
    public void Every_row_is_served_once_per_epoch_in_a_seeded_order()
    {
        using var scope = NewDisposeScope();
        var x = arange(10, dtype: ScalarType.Float32).unsqueeze(1).repeat(1, 3);
        var y = arange(10, dtype: ScalarType.Int64);
        static long[] Stream(Tensor x, Tensor y, long seed)
        {
            using var batches = new InMemoryActivationBatches(x, y, batchSize: 4, seed);
            return Enumerable.Range(0, 5).SelectMany(_ =>
            {
                var b = batches.Next();
                Assert.True(b.X.select(1, 0).to(ScalarType.Int64).IsEqual(b.Y));
                return b.Y.data<long>().ToArray();
            }).ToArray();
        }
        var stream = Stream(x, y, 1);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), stream.Take(10).Order());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), stream.Skip(10).Order());
        Assert.Equal(stream, Stream(x, y, 1));
        Assert.NotEqual(stream, Stream(x, y, 2));
    }
}

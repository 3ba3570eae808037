using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Text;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

public class RotaryTableTests
{
    [Fact]
    public void Cached_angles_equal_the_computed_ones_bit_for_bit_and_grow_past_the_initial_capacity()
    {
        using var scope = NewDisposeScope();
        // Pythia's rotary: 25 % of a 64-wide head = 16 dims, base 10 000; capacity 8 so the second batch forces a regrowth.
        using var table = new RotaryTable(16, 10000, minCapacity: 8);
        var shortBatch = PromptBatch.Create([[1, 2, 3], [4, 5, 6, 7, 8]], padId: 0, maxLength: null).ToTensors(CPU).PositionIds;
        var longBatch = PromptBatch.Create([Enumerable.Range(1, 300).ToArray(), [9, 9]], padId: 0, maxLength: null).ToTensors(CPU).PositionIds;
        foreach (var positions in new[] { shortBatch, longBatch, shortBatch, zeros(5, 1, dtype: ScalarType.Int64) })
        {
            var (cos, sin) = table.Angles(positions);
            var (refCos, refSin) = RotaryEmbedding.Angles(positions, 16, 10000);
            Assert.Equal(refCos.shape, cos.shape);
            Assert.True(cos.eq(refCos).all().item<bool>() && sin.eq(refSin).all().item<bool>());
        }
        // Position 299 is far from 0: a table built for the wrong position would differ there.
        Assert.NotEqual(1f, table.Angles(longBatch).Cos[0, 0, 299, 0].item<float>());
    }
}

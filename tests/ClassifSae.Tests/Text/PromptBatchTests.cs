using ClassifSae.Text;

namespace ClassifSae.Tests.Text;

public class PromptBatchTests
{
    private static readonly int[][] Seqs = [[5, 6, 7, 8, 9], [10, 11], [12, 13, 14]];

    private static long[] Row(long[] data, PromptBatch b, int r) => data[(r * b.Length)..((r + 1) * b.Length)];

    [Fact]
    public void PadsOnTheLeftWithMaskOnTheRight()
    {
        var b = PromptBatch.Create(Seqs, padId: 0);
        Assert.Equal((3, 5), (b.BatchSize, b.Length));
        Assert.Equal([5, 6, 7, 8, 9], Row(b.InputIds, b, 0));
        Assert.Equal([0, 0, 0, 10, 11], Row(b.InputIds, b, 1));
        Assert.Equal([0, 0, 12, 13, 14], Row(b.InputIds, b, 2));
        Assert.Equal([0, 0, 0, 1, 1], Row(b.AttentionMask, b, 1));
        Assert.Equal([0, 0, 1, 1, 1], Row(b.AttentionMask, b, 2));
        Assert.Equal([5, 2, 3], b.RowLengths);
    }

    [Fact]
    public void LastTwoColumnsAreRealForEveryRow()
    {
        var b = PromptBatch.Create(Seqs, padId: 0);
        Assert.Equal(4, b.LabelColumn);
        Assert.Equal(3, b.DecisionColumn);
        for (var r = 0; r < b.BatchSize; r++)
        {
            Assert.Equal(1, b.AttentionMask[r * b.Length + b.DecisionColumn]);
            Assert.Equal(Seqs[r][^1], b.InputIds[r * b.Length + b.LabelColumn]);
            Assert.Equal(Seqs[r][^2], b.InputIds[r * b.Length + b.DecisionColumn]);
        }
    }

    [Fact]
    public void PositionIdsArePadAware()
    {
        var b = PromptBatch.Create(Seqs, padId: 0);
        Assert.Equal([0, 1, 2, 3, 4], Row(b.PositionIds, b, 0));
        Assert.Equal([0, 0, 0, 0, 1], Row(b.PositionIds, b, 1));
        Assert.Equal([0, 0, 0, 1, 2], Row(b.PositionIds, b, 2));
    }

    [Fact]
    public void PadIdIsUsed()
    {
        var b = PromptBatch.Create(Seqs, padId: 99);
        Assert.Equal([99, 99, 99, 10, 11], Row(b.InputIds, b, 1));
    }

    [Fact]
    public void TruncationKeepsTheLastTokens()
    {
        var b = PromptBatch.Create(Seqs, padId: 0, maxLength: 3);
        Assert.Equal(3, b.Length);
        Assert.Equal([7, 8, 9], Row(b.InputIds, b, 0));
        Assert.Equal([0, 1, 2], Row(b.PositionIds, b, 0));
        Assert.Equal([0, 10, 11], Row(b.InputIds, b, 1));
        Assert.Equal([12, 13, 14], Row(b.InputIds, b, 2));
    }

    [Fact]
    public void ToTensorsHasShapeAndValues()
    {
        var b = PromptBatch.Create(Seqs, padId: 0);
        var (ids, mask, pos) = b.ToTensors();
        using (ids) using (mask) using (pos)
        {
            Assert.Equal([3L, 5L], ids.shape);
            Assert.Equal(TorchSharp.torch.ScalarType.Int64, mask.dtype);
            Assert.Equal(b.InputIds, ids.data<long>().ToArray());
            Assert.Equal(b.AttentionMask, mask.data<long>().ToArray());
            // Position ids equal the clamped cumsum(mask) − 1 computed by torch.
            using var expected = (mask.cumsum(1) - 1).clamp_min(0);
            Assert.Equal(expected.data<long>().ToArray(), pos.data<long>().ToArray());
        }
    }

    [Fact]
    public void RejectsEmptyInput()
    {
        Assert.Throws<ArgumentException>(() => PromptBatch.Create(Array.Empty<int[]>(), 0));
        Assert.Throws<ArgumentException>(() => PromptBatch.Create([[1], []], 0));
        Assert.Throws<InvalidOperationException>(() => PromptBatch.Create([[1]], 0).DecisionColumn);
    }
}

using ClassifSae.Concepts.Sae;

namespace ClassifSae.Tests.Concepts;

public class ScheduleTests
{
    [Theory]
    [InlineData(0, 5e-5)]
    [InlineData(19_998, 5e-7)]
    [InlineData(19_999, 2.5e-7)]
    public void Lr_schedule_matches_the_paper_values(int step, double expected)
    {
        var lr = LrSchedule.At(step, totalSteps: 20_000, lr: 5e-5, lrEnd: 5e-7, decaySteps: 2);
        Assert.Equal(expected, lr, 1e-15);
    }

    [Fact]
    public void Lr_schedule_cosine_part()
    {
        static double At(int t) => LrSchedule.At(t, 20_000, 5e-5, 5e-7, 2);
        Assert.Equal(5e-7 + 0.5 * (5e-5 - 5e-7), At(9_999), 1e-15); // half-way through T = 19 998
        Assert.Equal(5e-7 + 0.5 * (5e-5 - 5e-7) * (1 + Math.Cos(Math.PI * 1234 / 19_998)), At(1234), 1e-15);
        Assert.True(At(19_997) > 5e-7 && At(19_997) < 5.01e-7);
        for (var t = 1; t < 20_000; t++) Assert.True(At(t) <= At(t - 1));
    }

    [Fact]
    public void Epochs_and_decay_weight_follow_the_bookkeeping()
    {
        Assert.Equal(83, LossDecay.TotalEpochs(20_000, 500, 120_000));
        Assert.Equal(400, LossDecay.TotalEpochs(20_000, 500, 25_000));
        Assert.Equal(0, LossDecay.EpochAtStep(239, 500, 120_000));
        Assert.Equal(1, LossDecay.EpochAtStep(240, 500, 120_000));
        Assert.Equal(82, LossDecay.EpochAtStep(19_919, 500, 120_000));
        Assert.Equal(0.0, LossDecay.DecayWeight(LossDecay.EpochAtStep(19_920, 500, 120_000), 83));
        Assert.Equal(1.0 / 83, LossDecay.DecayWeight(82, 83), 12);
        Assert.Equal(1.0 / 400, LossDecay.DecayWeight(LossDecay.EpochAtStep(19_999, 500, 25_000), 400), 12);
        Assert.Equal(0.0, LossDecay.DecayWeight(LossDecay.EpochAtStep(20_000, 500, 25_000), 400));
        Assert.Equal(1.0, LossDecay.DecayWeight(0, 83));
        Assert.Equal(0.0, LossDecay.DecayWeight(100, 83));
        Assert.Equal(1.0, LossDecay.DecayWeight(3, 0)); // shorter than one epoch: no decay
    }

    [Theory]
    [InlineData(500, 120_000)]
    [InlineData(500, 25_000)]
    [InlineData(100, 2_345)]
    public void EpochCounter_agrees_with_the_closed_form(int batch, long lenEpoch)
    {
        var counter = new EpochCounter(batch, lenEpoch);
        for (var s = 1; s <= 3_000; s++)
            Assert.Equal(LossDecay.EpochAtStep(s, batch, lenEpoch), counter.BeforeStep());
        Assert.Equal(3_000L * batch, counter.TokensSeen);
    }
}

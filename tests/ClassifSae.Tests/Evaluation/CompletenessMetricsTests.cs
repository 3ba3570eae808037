using ClassifSae.Evaluation.Completeness;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Evaluation;

public class CompletenessMetricsTests
{
    [Fact]
    public void Accuracies_and_activation_rates_match_a_hand_computed_case()
    {
        // 4 sentences, 2 classes. Original predictions 0,1,1,0; reconstructed 0,1,0,0; truth 0,1,1,1.
        using var orig = tensor(new float[] { 2, 1, 0, 3, 0, 1, 5, 4 }, [4, 2]);
        using var rec = tensor(new float[] { 1, 0, 0, 1, 1, 0, 2, 2 }, [4, 2]);   // last row ties → class 0
        long[] truth = [0, 1, 1, 1];
        // 3 features, selected {0, 2}: feature 0 fires on 2 of 4 sentences, feature 2 on 1 of 4.
        using var masked = tensor(new float[] { 1, 0, 0, 0, 0, 0, 2, 0, 3, 0, 0, 0 }, [4, 3]);
        using var dirs = tensor(new float[] { 1, 0, 0, 1, 1, 1 }, [3, 2]);
        var m = CompletenessMetrics.Compute(orig, rec, truth, masked, [0, 2], dirs, classes: 2);
        Assert.Equal(0.75, m.RecoveryAccuracy);
        Assert.Equal(0.75, m.OriginalAccuracy);
        Assert.Equal(0.5, m.ReconstructionAccuracy);
        Assert.Equal(37.5, m.AverageActivationRatePct);
        Assert.Equal(50, m.MaxActivationRatePct);
        // Class 1 from the reconstruction: 3 real, 1 predicted, 1 correct.
        Assert.Equal(1.0 / 3, m.ReconstructionPerClass[1].Recall, 12);
        Assert.Equal(1.0, m.ReconstructionPerClass[1].Precision, 12);
        Assert.Equal(0.5, m.ReconstructionPerClass[1].F1, 12);
        // Directions 0 = (1,0) and 2 = (1,1): cosine distance 1 − 1/√2 for both local and global.
        Assert.Equal(1 - 1 / Math.Sqrt(2), m.LocalDiversity, 6);
        Assert.Equal(1 - 1 / Math.Sqrt(2), m.GlobalDiversity, 6);
    }

    [Fact]
    public void Mean_loss_is_the_mean_of_batch_means()
    {
        using var logits = tensor(new float[] { 0, 0, 0, 0, 0, 0 }, [3, 2]);
        var loss = CompletenessMetrics.MeanBatchLoss(logits, [0, 1, 0], batch: 2);
        Assert.Equal(Math.Log(2), loss, 6);
    }
}

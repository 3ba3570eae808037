using ClassifSae.Concepts.Sae;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>The explained variance a step reports, against the same SAE's reconstruction computed here from its weights.</summary>
public sealed class SaeExplainedVarianceTests
{
    [Fact]
    public void The_first_steps_explained_variance_is_that_of_the_untrained_saes_reconstruction_of_the_batch()
    {
        using var scope = NewDisposeScope();
        var options = new ClassifSaeOptions
        {
            DIn = PlantedConcepts.DIn, NbClasses = PlantedConcepts.Classes, LenEpoch = 200, Seed = 9,
            Settings = new ClassifSaeSettings { ExpansionFactor = 32 / PlantedConcepts.DIn, K = 4, NConcepts = 4, Steps = 1, BatchSize = 200, NoiseScale = 0, LearningRateDecaySteps = 0 },
        }.AsBaseline();
        var (x, y) = PlantedConcepts.Make(200, seed: 4);
        // The whole set is the one batch, so the figure does not depend on the row order.
        using var reference = new TopKSae(options.Shape, options.Seed);
        var enc = reference.Encode(x);
        var xHat = reference.Decode(enc.Z, enc.Scale);
        var expected = 1 - (xHat - x).square().sum().item<float>() / (x - x.mean([0], keepdim: true)).square().sum().item<float>();

        using var sae = new TopKSae(options.Shape, options.Seed);
        using var batches = new InMemoryActivationBatches(x, y, 200, seed: 1);
        var report = ClassifSaeTrainer.Train(sae, batches, options).History.Single();

        Assert.NotNull(report.ExplainedVariance);
        Assert.Equal(expected, report.ExplainedVariance!.Value, 4);
        Assert.True(expected < 0.99, $"a trivial value {expected} would not test the formula");
    }
}

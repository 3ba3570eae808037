using ClassifSae.Concepts.Sae;
using ClassifSae.Evaluation.Completeness;

namespace ClassifSae.Tests.Concepts;

/// <summary>What the SAE bars show, and how the two activation-rate figures are named apart.</summary>
public sealed class SaeProgressTextTests
{
    private static readonly StepReport Report = new(50, 100, 0, 1, 1e-3, Mse: 0.01234, ActivationRate: 0.02, Classifier: 0.3, Ghost: 0,
        Total: 0.3456, DeadFeatures: 3, ClassifierAccuracy: 0.27, ConceptActivationRate: 0.125, MeanL0: 10, ExplainedVariance: 0.8766);

    [Fact]
    public void The_plain_sae_shows_what_it_optimises_and_no_untrained_head_accuracy() =>
        Assert.Equal("loss 0.3456 mse 0.0123 expl.var 0.877 L0 10.0 dead 3", SaeProgressText.For(Report, classifierHead: false));

    [Fact]
    public void ClassifSae_adds_its_heads_accuracy_and_the_concept_firing_rate_per_batch() =>
        Assert.Equal("loss 0.3456 mse 0.0123 expl.var 0.877 L0 10.0 head acc 0.270 concept rate/batch 0.125",
            SaeProgressText.For(Report, classifierHead: true));

    [Fact]
    public void The_training_and_evaluate_rates_say_what_they_count()
    {
        Assert.Equal("concept firing rate (train batch, mean over concept features)", SaeProgressText.ConceptRateLabel);
        Assert.Equal("activation rate (share of test sentences, mean over selected concepts)", CompletenessMetrics.ActivationRateLabel);
    }
}

using ClassifSae.Concepts.Sae;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

public class ClassifSaeTrainerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static ClassifSaeOptions Planted(int steps) => new()
    {
        DIn = PlantedConcepts.DIn, NbClasses = PlantedConcepts.Classes, LenEpoch = 2_000, Seed = 5,
        Settings = new ClassifSaeSettings
        {
            ExpansionFactor = 32 / PlantedConcepts.DIn, K = 4, NConcepts = 4, LambdaMse = 1, LambdaActivationRate = 1, LambdaClassifier = 1,
            ActivationRate = 0.25, Steps = steps, BatchSize = 100, LearningRate = 5e-3, LearningRateEnd = 5e-5,
        },
    };

    private static TrainingResult Train(ClassifSaeOptions options, TopKSae sae, Tensor x, Tensor y, Action<StepReport>? onStep = null)
    {
        using var batches = new InMemoryActivationBatches(x, y, options.Settings.BatchSize, options.Seed + 2);
        return ClassifSaeTrainer.Train(sae, batches, options, onStep);
    }

    [Fact]
    public void ClassifSae_learns_the_planted_labels_with_concepts_firing_near_tau()
    {
        using var scope = NewDisposeScope();
        var options = Planted(steps: 300);
        var (x, y) = PlantedConcepts.Make(2_000, seed: 1);
        using var sae = new TopKSae(options.Shape, options.Seed);
        var reports = 0;
        var result = Train(options, sae, x, y, r => { reports++; Assert.Equal(300, r.TotalSteps); });
        Assert.Equal(300, reports);
        Assert.Equal(300, result.History.Count);
        Assert.Equal(0.0, result.History[^1].DecayWeight); // E = 15 epochs, the last step is in epoch 15

        using (no_grad())
        {
            var (xTest, yTest) = PlantedConcepts.Make(1_000, seed: 1); // same directions, fresh rows
            var z = sae.Encode(xTest).Z;
            var accuracy = sae.ClassifierLogits(z).argmax(-1).eq(yTest).to(ScalarType.Float32).mean().item<float>();
            var rate = (sae.ConceptActivations(z) > 0).to(ScalarType.Float32).mean().item<float>();
            output.WriteLine($"held-out accuracy {accuracy}, z_class activation rate {rate} (τ = {options.Settings.ActivationRate}); last step {result.History[^1]}");
            Assert.True(accuracy > 0.95, $"classifier accuracy {accuracy}");
            Assert.True(Math.Abs(rate - options.Settings.ActivationRate) < 0.1, $"z_class activation rate {rate}, τ = {options.Settings.ActivationRate}");
        }
    }

    [Fact]
    public void Training_is_deterministic_given_the_seed()
    {
        using var scope = NewDisposeScope();
        var options = Planted(steps: 12);
        var (x, y) = PlantedConcepts.Make(500, seed: 2);
        using var a = new TopKSae(options.Shape, options.Seed);
        using var b = new TopKSae(options.Shape, options.Seed);
        var ra = Train(options, a, x, y);
        var rb = Train(options, b, x, y);
        Assert.Equal(ra.History, rb.History);
        foreach (var (name, p) in a.NamedTensors) Assert.True(p.IsEqual(b.NamedTensors[name]), name);
    }

    [Fact]
    public void Intermediate_checkpoint_is_reported_when_tokens_first_exceed_the_threshold()
    {
        Assert.Equal(new long[] { 5_000_000 }, Checkpoints.Thresholds(10_000_000, 2));
        Assert.Equal(new long[] { 400, 800 }, Checkpoints.Thresholds(1_200, 3));
        Assert.Empty(Checkpoints.Thresholds(1_200, 1));
        using var scope = NewDisposeScope();
        var options = Planted(steps: 12);
        var (x, y) = PlantedConcepts.Make(500, seed: 2);
        using var sae = new TopKSae(options.Shape, options.Seed);
        var seen = new List<(int, long)>();
        using var batches = new InMemoryActivationBatches(x, y, options.Settings.BatchSize, 1);
        ClassifSaeTrainer.Train(sae, batches, options, onCheckpoint: c =>
        {
            seen.Add((c.Step, c.TokensSeen));
            Assert.Equal(new long[] { options.DSae }, c.LogSparsity.shape);
        });
        Assert.Equal(new[] { (7, 700L) }, seen); // 1 200 tokens / 2 → first exceeds 600 at step 7
    }

    [Fact]
    public void Training_steps_do_not_leak_tensors()
    {
        using var scope = NewDisposeScope();
        var options = Planted(steps: 40) with { FeatureSamplingWindow = 7 };
        var (x, y) = PlantedConcepts.Make(500, seed: 2);
        using var sae = new TopKSae(options.Shape, options.Seed);
        var live = new Dictionary<int, long>();
        using var batches = new InMemoryActivationBatches(x, y, options.Settings.BatchSize, 1);
        ClassifSaeTrainer.Train(sae, batches, options, r => live[r.Step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal(live[10], live[40]);
    }

    [Fact]
    public void Baseline_leaves_the_classifier_head_untouched_and_never_decays()
    {
        using var scope = NewDisposeScope();
        var options = Planted(steps: 20).AsBaseline();
        var (x, y) = PlantedConcepts.Make(500, seed: 3);
        using var sae = new TopKSae(options.Shape, options.Seed);
        var head = sae.ClassifierWeight.detach().clone();
        var encoder = sae.WEnc.detach().clone();
        var result = Train(options, sae, x, y);
        Assert.True(sae.ClassifierWeight.IsEqual(head));
        Assert.False(sae.WEnc.IsEqual(encoder));
        Assert.All(result.History, r => Assert.Equal(r.Mse + r.Ghost, r.Total, 4));
        Assert.All(result.History, r => Assert.Equal(0.0, r.Classifier));
    }

    [Fact]
    public void NonFinite_loss_stops_training_naming_the_step_and_term()
    {
        using var scope = NewDisposeScope();
        var planted = Planted(steps: 5);
        var options = planted with { LenEpoch = 10, Settings = planted.Settings with { BatchSize = 10 } };
        var x = ones(10, PlantedConcepts.DIn);
        x[3, 2] = tensor(float.NaN);
        var y = zeros(10, dtype: ScalarType.Int64);
        using var sae = new TopKSae(options.Shape, options.Seed);
        var e = Assert.Throws<NonFiniteLossException>(() => Train(options, sae, x, y));
        Assert.Equal(1, e.Step);
        Assert.Contains("step 1 of 5", e.Message);
        Assert.Contains("mse=NaN", e.Message);
    }

    [Fact]
    public void Options_default_to_the_paper_values()
    {
        var o = new ClassifSaeOptions { DIn = 512, NbClasses = 4, LenEpoch = 120_000 };
        Assert.Equal(1024, o.DSae);
        var s = o.Settings;
        Assert.Equal((10, 20, 500, 20_000, 2), (s.K, s.NConcepts, s.BatchSize, s.Steps, s.LearningRateDecaySteps));
        Assert.Equal((5e-5, 5e-7, 0.2, 0.1), (s.LearningRate, s.LearningRateEnd, s.NoiseScale, s.ActivationRate));
        Assert.Equal(83, o.TotalEpochs);
        Assert.Equal(new LossWeights(1, 0, 0, 1.0), o.AsBaseline().Weights);
        o.Validate();
        var e = Assert.Throws<ArgumentException>(() => (o with { Settings = s with { K = 1025 } }).Validate());
        Assert.Equal("classif_sae.k = 1025 must be in [1, d_sae = 1024]", e.Message);
    }
}

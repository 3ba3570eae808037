using ClassifSae.Concepts.Sae;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>
/// The trainer's step shares work between its terms (firing counts for the statistics and the activation-rate loss, the
/// ghost term outside the graph when nothing is dead, one read of the scalars, gradients set to none). It must compute
/// what the step computes when written term by term from the reference definitions, up to float rounding.
/// </summary>
public class TrainingStepReferenceTests
{
    // m = floor(40·0.1) = 4 while a feature fires on 40·3/48 ≈ 2.5 samples on average: some columns exceed m (the ranked
    // path of the activation-rate loss) and, with a dead window of 2, some features go dead (the ghost path with columns).
    private static ClassifSaeOptions Options => new()
    {
        DIn = 16, NbClasses = 3, LenEpoch = 400, DeadFeatureWindow = 2, Seed = 3,
        Settings = new ClassifSaeSettings
        {
            ExpansionFactor = 3, K = 3, NConcepts = 4, BatchSize = 40, ActivationRate = 0.1, LambdaActivationRate = 1, LambdaMse = 1,
            Steps = 25, LearningRate = 1e-2, LearningRateEnd = 1e-4,
        },
    };

    [Fact]
    public void Activation_rate_loss_from_counts_equals_the_dense_top_m_definition_in_value_and_parameter_gradients()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(new SaeShape(16, 48, 3, 4, 3), seed: 1);
        var x = randn([40, 16], generator: new Generator(2));
        var z = sae.Encode(x).Z;
        var counts = z.detach().gt(0).sum(dim: 0);
        Assert.True(counts.gt(4).any().item<bool>(), "the case must rank some columns");
        Assert.True(counts.le(4).logical_and(counts.gt(0)).any().item<bool>(), "and skip some firing ones");

        var reference = SaeLosses.ActivationRateLoss(z, 0.7, 0.1);
        reference.backward();
        var expected = sae.parameters().Select(p => p.grad?.clone()).ToList();
        sae.zero_grad(set_to_none: true);
        var fast = SaeLosses.ActivationRateLossFromCounts(sae.Encode(x).Z, counts, 0.7, 0.1);
        fast.backward();

        Assert.True(reference.item<float>() > 0);
        Assert.Equal(reference.item<float>(), fast.item<float>(), 5);
        var actual = sae.parameters().Select(p => p.grad).ToList();
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i] is null) { Assert.Null(actual[i]); continue; }
            Assert.True(actual[i]!.allclose(expected[i]!, rtol: 1e-5, atol: 1e-7), $"parameter {i}");
        }
    }

    [Fact]
    public void Trainer_follows_the_step_written_term_by_term()
    {
        using var scope = NewDisposeScope();
        var options = Options;
        var x = randn([400, 16], generator: new Generator(4));
        var y = randint(0, 3, [400], generator: new Generator(5));

        using var reference = new TopKSae(options.Shape, options.Seed);
        List<double[]> expected;
        using (var batches = new InMemoryActivationBatches(x, y, options.Settings.BatchSize, 6)) expected = ReferenceTrain(reference, batches, options);
        using var trained = new TopKSae(options.Shape, options.Seed);
        TrainingResult result;
        using (var batches = new InMemoryActivationBatches(x, y, options.Settings.BatchSize, 6)) result = ClassifSaeTrainer.Train(trained, batches, options);
        result.Sparsity.Dispose();
        result.StepsSinceFired.Dispose();

        Assert.Contains(result.History, r => r.DeadFeatures > 0);
        Assert.Contains(result.History, r => r.ActivationRate > 0);
        for (var s = 0; s < options.Settings.Steps; s++)
        {
            var r = result.History[s];
            double[] actual = [r.Mse, r.ActivationRate, r.Classifier, r.Ghost, r.Total, r.DeadFeatures, r.ClassifierAccuracy, r.ConceptActivationRate, r.MeanL0];
            for (var i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[s][i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[s][i])),
                    $"step {s + 1}, scalar {i}: trainer {actual[i]}, reference {expected[s][i]}");
        }
        foreach (var (name, p) in reference.NamedTensors)
            Assert.True(trained.NamedTensors[name].allclose(p, rtol: 1e-4, atol: 1e-5), name);
    }

    /// <summary>The step as first written: every term from its definition, statistics from Z, gradients zeroed before backward.</summary>
    private static List<double[]> ReferenceTrain(TopKSae sae, IActivationBatches batches, ClassifSaeOptions o)
    {
        var parameters = sae.parameters().ToList();
        using var noise = new Generator((ulong)(o.Seed + ClassifSaeTrainer.NoiseSeedOffset));
        using var stats = new FeatureStatistics(o.DSae, o.DeadFeatureWindow);
        using var adam = optim.Adam(parameters, lr: o.Settings.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0);
        var epochs = new EpochCounter(o.Settings.BatchSize, o.LenEpoch);
        var w = o.Weights;
        var rows = new List<double[]>();
        sae.train();
        for (var t = 0; t < o.Settings.Steps; t++)
        {
            using var scope = NewDisposeScope();
            sae.NormaliseDecoderRows();
            if ((t + 1) % o.FeatureSamplingWindow == 0) stats.ResetWindow();
            var decay = LossDecay.DecayWeight(epochs.BeforeStep(), o.TotalEpochs);
            foreach (var g in adam.ParamGroups) g.LearningRate = LrSchedule.At(t, o.Settings.Steps, o.Settings.LearningRate, o.Settings.LearningRateEnd, o.Settings.LearningRateDecaySteps);
            var batch = batches.Next();
            var centred = batch.X - batch.X.mean([0], keepdim: true);
            var sigma = centred.pow(2).mean([0], keepdim: true).sqrt().clamp_min(1e-3);
            var xNoised = batch.X + sigma * randn(batch.X.shape, generator: noise) * o.Settings.NoiseScale;
            var deadMask = stats.DeadMask();
            var (enc, codes) = sae.EncodeWithCodes(xNoised);
            var xHat = sae.DecodeSparse(codes, enc.Scale);
            var e = (xHat - batch.X).pow(2) / (centred.pow(2).sum(-1, keepdim: true).sqrt() + 1e-6) * w.LambdaMse;
            var mse = e.sum(-1).mean();
            var ar = SaeLosses.ActivationRateLoss(enc.Z, w.LambdaAR, w.Tau);
            var logits = sae.ClassifierLogits(enc.Z);
            var cls = SaeLosses.ClassifierLoss(logits, batch.Y, w.LambdaCls);
            var dead = deadMask.nonzero().reshape(-1);
            var hiddenDead = dead.shape[0] == 0 ? zeros([batch.X.shape[0], 0L]) : sae.PreActivationColumns(batch.X, sae.RescaleCoefficient(batch.X), dead);
            var ghost = SaeLosses.GhostGradLoss(hiddenDead, sae.WDec.index_select(0, dead), batch.X - xHat, e);
            var total = SaeObjective.Combine(mse, ar, cls, ghost, decay, w);
            stats.Update(enc.Z);
            using (no_grad())
            {
                var z = enc.Z;
                rows.Add([mse.item<float>(), ar.item<float>(), cls.item<float>(), ghost.item<float>(), total.item<float>(), deadMask.sum().item<long>(),
                    logits.argmax(-1).eq(batch.Y).to(ScalarType.Float32).mean().item<float>(),
                    (sae.ConceptActivations(z) > 0).to(ScalarType.Float32).mean().item<float>(),
                    (z > 0).to(ScalarType.Float32).sum(-1).mean().item<float>()]);
            }
            adam.zero_grad();
            total.backward();
            nn.utils.clip_grad_norm_(parameters, o.GradClipNorm);
            adam.step();
            adam.zero_grad();
        }
        return rows;
    }
}

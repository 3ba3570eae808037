using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Trains a <see cref="TopKSae"/> as ClassifSAE or as the baseline SAE (spec 01 §3.3–§3.9). One step:
/// re-normalise W_dec rows; reset the firing window when (t+1) % window == 0; noised forward and losses with the
/// current dead mask and w(e); update the statistics from Z; backward, clip at 1.0, Adam step with lr(t).
/// The decoder-gradient projection of the original is omitted: it ran after the step and had no effect (§3.14.1).
/// Deterministic given the seed: init, noise and data order each use their own generator.
/// <c>onStep</c> gets every step's scalars (progress bars); <c>onCheckpoint</c> gets the intermediate checkpoints of
/// §3.11 (the final one is the returned, re-normalised model). Throws <see cref="NonFiniteLossException"/> before a
/// non-finite loss is back-propagated.
/// </summary>
public static class ClassifSaeTrainer
{
    /// <summary>Seed offset of the noise generator, so noise and init streams differ for the same run seed.</summary>
    public const long NoiseSeedOffset = 1;

    public static TrainingResult Train(
        TopKSae sae, IActivationBatches batches, ClassifSaeOptions options,
        Action<StepReport>? onStep = null, CancellationToken cancellation = default, Action<SaeCheckpoint>? onCheckpoint = null)
    {
        options.Validate();
        if (sae.Shape != options.Shape) throw new ArgumentException($"SAE shape {sae.Shape} does not match the options {options.Shape}");
        if (batches.DIn != options.DIn) throw new ArgumentException($"batches have d_in {batches.DIn}, options say {options.DIn}");
        if (batches.BatchSize != options.Settings.BatchSize) throw new ArgumentException($"batches have size {batches.BatchSize}, options say {options.Settings.BatchSize}");

        var weights = options.Weights;
        var totalEpochs = options.TotalEpochs;
        var parameters = sae.parameters().ToList();
        using var noise = new Generator((ulong)(options.Seed + NoiseSeedOffset));
        using var stats = new FeatureStatistics(options.DSae, options.DeadFeatureWindow);
        using var adam = optim.Adam(parameters, lr: options.Settings.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0);
        var epochs = new EpochCounter(options.Settings.BatchSize, options.LenEpoch);
        var history = new List<StepReport>();
        var checkpoints = new Queue<long>(Checkpoints.Thresholds((long)options.Settings.Steps * options.Settings.BatchSize, options.NCheckpoints));
        sae.train();

        for (var t = 0; t < options.Settings.Steps; t++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            sae.NormaliseDecoderRows();
            if ((t + 1) % options.FeatureSamplingWindow == 0) stats.ResetWindow();
            var epoch = epochs.BeforeStep();
            var decay = LossDecay.DecayWeight(epoch, totalEpochs);
            var lr = LrSchedule.At(t, options.Settings.Steps, options.Settings.LearningRate, options.Settings.LearningRateEnd, options.Settings.LearningRateDecaySteps);
            foreach (var group in adam.ParamGroups) group.LearningRate = lr;

            var batch = batches.Next();
            var xNoised = InputNoise.Apply(batch.X, options.Settings.NoiseScale, noise);
            var deadMask = stats.DeadMask();
            var output = SaeObjective.TrainingForward(sae, batch.X, xNoised, batch.Y, deadMask, decay, weights, options.Settings.GhostGrads, options.SparseDecoder);
            stats.UpdateFromCounts(output.FiringCounts, batch.X.shape[0]);

            var report = Summarise(t + 1, options, epoch, decay, lr, output, deadMask, batch.Y, sae);
            NonFiniteGuard.Check(report);

            output.Losses.Total.backward();
            nn.utils.clip_grad_norm_(parameters, options.GradClipNorm);
            adam.step();
            // Gradients set to none, not zeroed: the next backward then stores its gradients instead of adding them into
            // zeroed buffers (same values, two fewer passes over every weight matrix per step).
            sae.zero_grad(set_to_none: true);

            if (report.Step % options.HistoryEvery == 0 || report.Step == options.Settings.Steps) history.Add(report);
            onStep?.Invoke(report);
            if (checkpoints.Count > 0 && epochs.TokensSeen > checkpoints.Peek())
            {
                checkpoints.Dequeue();
                using var sparsity = stats.LogSparsity();
                onCheckpoint?.Invoke(new SaeCheckpoint(report.Step, epochs.TokensSeen, sae, sparsity));
            }
        }

        // Same as the re-normalisation before saving, so in-memory and saved models agree.
        sae.NormaliseDecoderRows();
        sae.eval();
        using var finalDead = stats.DeadMask();
        var deadCount = (int)finalDead.sum().item<long>();
        return new TrainingResult(history, stats.LogSparsity().DetachFromDisposeScope(),
            stats.StepsSinceFired.clone().DetachFromDisposeScope(), deadCount);
    }

    /// <summary>
    /// The step's scalars, read from the device in one transfer. Activation rate and L0 come from the firing counts the
    /// step already has (Z ≥ 0, so "Z &gt; 0" counts are the same as before), the accuracy from the head's logits of the loss.
    /// </summary>
    private static StepReport Summarise(int step, ClassifSaeOptions options, int epoch, double decay, double lr,
        SaeStepOutput output, Tensor deadMask, Tensor labels, TopKSae sae)
    {
        using var _ = no_grad();
        var z = output.Encoding.Z;
        var batch = (double)z.shape[0];
        var logits = output.ClassifierLogits?.detach() ?? sae.ClassifierLogits(z);
        var counts = output.FiringCounts.to(ScalarType.Float64);
        var l = output.Losses;
        Tensor[] scalars =
        [
            l.Mse, l.ActivationRate, l.Classifier, l.Ghost, l.Total, deadMask.sum(),
            logits.argmax(-1).eq(labels).to(ScalarType.Float64).mean(),
            counts.narrow(0, 0, options.Settings.NConcepts).sum() / (batch * options.Settings.NConcepts),
            counts.sum() / batch,
        ];
        var v = stack(scalars.Select(s => s.detach().to(ScalarType.Float64)).ToArray()).cpu().data<double>().ToArray();
        return new StepReport(step, options.Settings.Steps, epoch, decay, lr, v[0], v[1], v[2], v[3], v[4], (int)v[5], v[6], v[7], v[8]);
    }
}

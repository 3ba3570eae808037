using ClassifSae.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Trains a <see cref="TopKSae"/> as ClassifSAE or as the baseline SAE (spec 01 §3.3–§3.9), or as upstream's v2 of both
/// (<see cref="ClassifSaeOptions.MethodVersion"/> upstream-2026: <see cref="UpstreamObjective"/>, the decoder-gradient
/// projection between backward and clipping, three Adam groups; spec 04 §4). One paper step:
/// re-normalise W_dec rows; reset the firing window when (t+1) % window == 0; noised forward and losses with the
/// current dead mask and w(e); update the statistics from Z; backward, clip at 1.0, Adam step with lr(t).
/// The decoder-gradient projection of the original is omitted: it ran after the step and had no effect (§3.14.1).
/// Deterministic given the seed: init, noise and data order each use their own generator.
/// <c>onStep</c> gets every step's scalars (progress bars); <c>onCheckpoint</c> gets the intermediate checkpoints of
/// §3.11 (the final one is the returned, re-normalised model). Throws <see cref="NonFiniteLossException"/> before a
/// non-finite loss is back-propagated. On an accelerator the step's scalars stay on the device and are read every
/// <see cref="DeviceReadEvery"/> steps in one transfer (a host sync per step would stall the GPU queue); the guard then
/// names the first non-finite step of the block, at most that many steps later. On the CPU they are read every step.
/// </summary>
public static class ClassifSaeTrainer
{
    /// <summary>Seed offset of the noise generator, so noise and init streams differ for the same run seed.</summary>
    public const long NoiseSeedOffset = 1;

    /// <summary>Steps between reads of the step scalars when training on an accelerator.</summary>
    public const int DeviceReadEvery = 50;

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
        var device = sae.WDec.device;
        var readEvery = device.type == DeviceType.CPU ? 1 : DeviceReadEvery;
        var pending = new List<PendingReport>();
        using var stats = new FeatureStatistics(options.DSae, options.DeadFeatureWindow, device);
        var upstream = options.IsUpstream;
        using var adam = upstream ? UpstreamAdam(sae, options.Settings.LearningRate)
            : optim.Adam(parameters, lr: options.Settings.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0);
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
            var decay = upstream ? 1.0 : LossDecay.DecayWeight(epoch, totalEpochs);
            var lr = LrSchedule.At(t, options.Settings.Steps, options.Settings.LearningRate, options.Settings.LearningRateEnd, options.Settings.LearningRateDecaySteps);
            foreach (var group in adam.ParamGroups) group.LearningRate = lr;

            var batch = batches.Next();
            var (x, y) = (HostToDevice.Move(batch.X, device), HostToDevice.Move(batch.Y, device));
            var deadMask = stats.DeadMask();
            var output = upstream
                ? UpstreamObjective.TrainingForward(sae, x, y, deadMask, UpstreamObjective.DetachesConcepts(epoch, totalEpochs), weights,
                    options.Settings.GhostGrads, options.SparseDecoder)
                : SaeObjective.TrainingForward(sae, x, InputNoise.Apply(x, options.Settings.NoiseScale, noise), y, deadMask, decay, weights,
                    options.Settings.GhostGrads, options.SparseDecoder);
            stats.UpdateFromCounts(output.FiringCounts, x.shape[0]);

            pending.Add(new PendingReport(t + 1, epoch, decay, lr, StepScalars(options, output, x, deadMask, y, sae).DetachFromDisposeScope()));
            // On the CPU this reads and checks before the loss is back-propagated, as before; on a device, once per block.
            var reports = pending.Count >= readEvery || t + 1 == options.Settings.Steps ? Read(pending, options) : [];

            output.Losses.Total.backward();
            if (upstream) DecoderGradientProjection.Apply(sae);
            nn.utils.clip_grad_norm_(parameters, options.GradClipNorm);
            adam.step();
            // Gradients set to none, not zeroed: the next backward then stores its gradients instead of adding them into
            // zeroed buffers (same values, two fewer passes over every weight matrix per step).
            sae.zero_grad(set_to_none: true);

            foreach (var report in reports)
            {
                if (IsRecorded(options, report.Step)) history.Add(report);
                onStep?.Invoke(report);
            }
            if (checkpoints.Count > 0 && epochs.TokensSeen > checkpoints.Peek())
            {
                checkpoints.Dequeue();
                using var sparsity = stats.LogSparsity();
                onCheckpoint?.Invoke(new SaeCheckpoint(t + 1, epochs.TokensSeen, sae, sparsity));
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

    /// <summary>Whether the step's report goes into <see cref="TrainingResult.History"/> (the training curve).</summary>
    public static bool IsRecorded(ClassifSaeOptions options, int step) => step % options.HistoryEvery == 0 || step == options.Settings.Steps;

    /// <summary>
    /// Upstream's three Adam parameter groups (encoder, decoder, classifier head; spec 04 §4.3), all with the same settings:
    /// numerically the same optimiser as one group, kept so a per-group setting can be ported as upstream has it.
    /// </summary>
    private static Adam UpstreamAdam(TopKSae sae, double lr)
    {
        Parameter[][] groups = [[sae.WEnc, sae.BEnc], [sae.WDec, sae.BDec], [sae.ClassifierWeight, sae.ClassifierBias]];
        return optim.Adam(groups.Select(g => new Adam.ParamGroup(g, lr: lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0)),
            lr: lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0);
    }

    /// <summary>
    /// The step's scalars, read from the device in one transfer. Activation rate and L0 come from the firing counts the
    /// step already has (Z ≥ 0, so "Z &gt; 0" counts are the same as before), the accuracy from the head's logits of the loss.
    /// </summary>
    private const int ScalarsPerStep = 10;

    private sealed record PendingReport(int Step, int Epoch, double Decay, double Lr, Tensor Scalars);

    /// <summary>Reads the pending steps' scalars in one transfer, checks each in order, and clears the list.</summary>
    private static List<StepReport> Read(List<PendingReport> pending, ClassifSaeOptions options)
    {
        using var all = stack(pending.Select(p => p.Scalars).ToArray()).cpu();
        var v = all.data<double>().ToArray();
        var reports = new List<StepReport>(pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            var (o, p) = (i * ScalarsPerStep, pending[i]);
            var report = new StepReport(p.Step, options.Settings.Steps, p.Epoch, p.Decay, p.Lr, v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4],
                (int)v[o + 5], v[o + 6], v[o + 7], v[o + 8], double.IsFinite(v[o + 9]) ? v[o + 9] : null);
            NonFiniteGuard.Check(report);
            reports.Add(report);
        }
        foreach (var p in pending) p.Scalars.Dispose();
        pending.Clear();
        return reports;
    }

    private static Tensor StepScalars(ClassifSaeOptions options, SaeStepOutput output, Tensor x, Tensor deadMask, Tensor labels, TopKSae sae)
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
            1 - (output.Reconstruction - x).square().sum().to(ScalarType.Float64) / (x - x.mean([0], keepdim: true)).square().sum().to(ScalarType.Float64),
        ];
        return stack(scalars.Select(s => s.detach().to(ScalarType.Float64)).ToArray());
    }
}

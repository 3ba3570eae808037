using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.HiConcept;

/// <summary>One epoch's mean loss terms and the reconstruction's agreement with the predicted labels.</summary>
public sealed record HiConceptEpoch(int Epoch, double Total, double Reconstruction, double Prediction, double Flip, double R1, double R2,
    double ReconstructionAccuracy);

/// <summary>
/// Trains <see cref="HiConceptModel"/> through the frozen remaining block (spec 04 §5.2.3): Adam (no decay, clipping or
/// schedule); each epoch reshuffles and walks full batches while batch_end &lt; N (upstream drops the last batch even
/// when full); the flip term joins from epoch <see cref="HiConceptSettings.FlipEpoch"/>. One generator seeded with the
/// run's seed draws the permutations and the flip masks.
/// </summary>
public static class HiConceptTrainer
{
    /// <param name="labelLogits">x̂ [B, d] → label-restricted logits [B, C] of the LLM tail; must be differentiable.</param>
    public static IReadOnlyList<HiConceptEpoch> Train(HiConceptModel model, Tensor x, IReadOnlyList<long> y, Func<Tensor, Tensor> labelLogits,
        HiConceptSettings settings, long seed, Action<int>? onStep = null, Action<HiConceptEpoch>? onEpoch = null)
    {
        var n = x.size(0);
        var check = new Settings.SettingsCheck();
        settings.Check(check, (int)x.size(1), n);
        check.ThrowIfAny(m => new ArgumentException(m));
        using var adam = optim.Adam(model.parameters(), lr: settings.LearningRate);
        using var gen = new Generator((ulong)seed);
        using var labels = tensor(y.ToArray());
        var history = new List<HiConceptEpoch>();
        var step = 0;
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            using var perm = randperm(n, generator: gen);
            var sums = new double[7];
            var count = 0;
            for (long start = 0; start + settings.BatchSize < n; start += settings.BatchSize)
            {
                using var scope = NewDisposeScope();
                var idx = perm.narrow(0, start, settings.BatchSize);
                var xb = x.index_select(0, idx);
                var yb = labels.index_select(0, idx);
                var keep = epoch >= settings.FlipEpoch ? HiConceptObjective.KeepMask(settings.BatchSize, model.NConcepts, settings.DropProbability, gen) : null;
                var loss = HiConceptObjective.Loss(model, xb, yb, labelLogits, settings, keep);
                adam.zero_grad();
                loss.Total.backward();
                adam.step();
                double agree;
                using (no_grad()) agree = loss.Logits.argmax(1).eq(yb).sum().item<long>() / (double)settings.BatchSize;
                double[] values = [loss.Total.item<float>(), loss.Reconstruction.item<float>(), loss.Prediction.item<float>(),
                    loss.Flip.item<float>(), loss.R1.item<float>(), loss.R2.item<float>(), agree];
                for (var i = 0; i < values.Length; i++) sums[i] += values[i];
                count++;
                onStep?.Invoke(++step);
            }
            history.Add(new HiConceptEpoch(epoch, sums[0] / count, sums[1] / count, sums[2] / count, sums[3] / count, sums[4] / count,
                sums[5] / count, sums[6] / count));
            onEpoch?.Invoke(history[^1]);
        }
        return history;
    }
}

using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning;

/// <summary>
/// Fine-tunes the backbone as a prompt classifier (spec 01 §1.5): cross-entropy over the full vocabulary
/// at the decision position T−2 against the label-digit token at T−1, AdamW, cosine with warm-up, clipping.
/// Optionally first pretrains it as a causal LM on raw texts (the smoke run's stand-in for Pythia's pretraining).
/// </summary>
public static class ClassifierFineTuner
{
    private const int CurveEvery = 10;

    public static TrainingCurve PretrainLanguageModel(GptNeoXForCausalLM model, IReadOnlyList<int[]> texts, FineTuneOptions o,
        int padId, long seed, Device device, IProgressSink progress)
    {
        var curve = new TrainingCurve();
        if (o.PretrainSteps <= 0) return curve;
        model.train();
        using var optimizer = FlatAdamW.ForModel(model, o.WeightDecay);
        var order = new BatchOrder(texts.Count, o.PretrainBatchSize, seed);
        var warmup = Math.Min(o.WarmupSteps, o.PretrainSteps / 10);
        using var bar = progress.Begin("pretrain (causal LM)", o.PretrainSteps);
        for (var step = 0; step < o.PretrainSteps; step++)
        {
            var lr = LearningRateSchedules.CosineWithWarmup(step, o.PretrainLearningRate, warmup, o.PretrainSteps);
            using var scope = NewDisposeScope();
            using var batch = TokenBatch.LeftPadded(order.Next().Select(i => texts[i]).ToList(), padId, device, o.MaxLength);
            var logits = model.Logits(batch);
            // Next-token targets; pad positions are ignored.
            var targets = batch.InputIds[.., 1..].clone();
            if (batch.AttentionMask is not null) targets.masked_fill_(batch.AttentionMask[.., 1..].eq(0), -100);
            var v = logits.size(-1);
            var loss = nn.functional.cross_entropy(logits[.., ..^1, ..].reshape(-1, v), targets.reshape(-1), ignore_index: -100);
            Step(optimizer, loss, lr, o.MaxGradNorm, "pretrain", step);
            Record(curve, bar, step, loss, lr);
        }
        return curve;
    }

    public static TrainingCurve FineTune(GptNeoXForCausalLM model, IReadOnlyList<int[]> fullPrompts, FineTuneOptions o,
        int padId, long seed, Device device, IProgressSink progress)
    {
        var curve = new TrainingCurve();
        model.train();
        using var optimizer = FlatAdamW.ForModel(model, o.WeightDecay);
        var order = new BatchOrder(fullPrompts.Count, o.BatchSize, seed + 1);
        using var bar = progress.Begin("fine-tune (prompt classifier)", o.Steps);
        for (var step = 0; step < o.Steps; step++)
        {
            var lr = LearningRateSchedules.CosineWithWarmup(step, o.LearningRate, o.WarmupSteps, o.Steps);
            using var scope = NewDisposeScope();
            using var batch = TokenBatch.LeftPadded(order.Next().Select(i => fullPrompts[i]).ToList(), padId, device, o.MaxLength);
            var (_, logits) = model.Decision(batch, hookLayer: model.Config.NumLayers, position: -2);
            var target = batch.InputIds[.., -1];
            var loss = nn.functional.cross_entropy(logits, target);
            Step(optimizer, loss, lr, o.MaxGradNorm, "fine-tune", step);
            Record(curve, bar, step, loss, lr);
        }
        model.eval();
        return curve;
    }

    private static void Step(FlatAdamW optimizer, Tensor loss, double lr, double maxNorm, string phase, int step)
    {
        var value = loss.item<float>();
        if (!float.IsFinite(value))
            throw new InvalidOperationException($"{phase}: the loss became {value} at step {step} (lower the learning rate or check the data)");
        optimizer.ZeroGrad();
        loss.backward();
        optimizer.Step(lr, maxNorm).Dispose();
    }

    private static void Record(TrainingCurve curve, IProgressTask bar, int step, Tensor loss, double lr)
    {
        if (step % CurveEvery == 0)
        {
            var v = loss.item<float>();
            curve.Add(step, v, lr);
            bar.Status($"loss {v:F4}");
        }
        bar.Advance();
    }
}

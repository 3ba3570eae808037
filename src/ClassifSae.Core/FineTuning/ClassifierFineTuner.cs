using ClassifSae.Backbones;
using ClassifSae.FineTuning.Precision;
using ClassifSae.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning;

/// <summary>
/// Fine-tunes the backbone as a classifier with its family's loss (<see cref="IClassifierBackbone.FineTuneLoss"/>; GPT-NeoX:
/// spec 01 §1.5, cross-entropy over the vocabulary at T−2 against the label token at T−1), AdamW, cosine with warm-up, clipping.
/// Optionally first pretrains it as a causal LM on raw texts (the smoke run's stand-in for Pythia's pretraining).
/// </summary>
public static class ClassifierFineTuner
{
    private const int CurveEvery = 10;

    public static TrainingCurve PretrainLanguageModel(IClassifierBackbone backbone, IReadOnlyList<int[]> texts, FineTuneOptions o,
        int padId, long seed, Device device, IProgressSink progress, ITrainingLog? log = null)
    {
        var curve = new TrainingCurve();
        if (o.PretrainSteps <= 0) return curve;
        if (backbone is not ICausalLanguageModel lm)
            throw new InvalidOperationException($"fine_tune.pretrain_steps is {o.PretrainSteps} but a {backbone.Shape.Family} backbone is not a causal LM (set it to 0)");
        var model = backbone.Module;
        model.train();
        EnableCheckpointing(backbone, o);
        using var optimizer = ScaledOptimizer.ForModel(model, o.WeightDecay, o.TrainingPrecisionName, o.EightBitOptimizer);
        var order = new BatchOrder(texts.Count, o.PretrainBatchSize, seed);
        var warmup = Math.Min(o.WarmupSteps, o.PretrainSteps / 10);
        using var bar = progress.Begin("pretrain (causal LM)", o.PretrainSteps);
        for (var step = 0; step < o.PretrainSteps; step++)
        {
            var lr = LearningRateSchedules.CosineWithWarmup(step, o.PretrainLearningRate, warmup, o.PretrainSteps);
            using var scope = NewDisposeScope();
            using var batch = backbone.Batch(order.Next().Select(i => texts[i]).ToList(), padId, o.MaxLength, device);
            var loss = lm.NextTokenLoss(batch);
            Step(optimizer, loss, lr, o.MaxGradNorm, "pretrain", step);
            Record(curve, bar, log, "pretrain", step, loss, lr);
        }
        BackToFloat32(model, optimizer);
        return curve;
    }

    /// <param name="prompts">encoded by <see cref="IClassifierBackbone.EncodePrompt"/></param>
    /// <param name="labels">the true class of each prompt</param>
    public static TrainingCurve FineTune(IClassifierBackbone backbone, IReadOnlyList<int[]> prompts, IReadOnlyList<long> labels, FineTuneOptions o,
        int padId, long seed, Device device, IProgressSink progress, ITrainingLog? log = null)
    {
        if (labels.Count != prompts.Count) throw new ArgumentException($"{labels.Count} labels for {prompts.Count} prompts", nameof(labels));
        var curve = new TrainingCurve();
        var model = backbone.Module;
        model.train();
        EnableCheckpointing(backbone, o);
        using var optimizer = ScaledOptimizer.ForModel(model, o.WeightDecay, o.TrainingPrecisionName, o.EightBitOptimizer);
        var order = new BatchOrder(prompts.Count, o.BatchSize, seed + 1);
        using var bar = progress.Begin("fine-tune (prompt classifier)", o.Steps);
        for (var step = 0; step < o.Steps; step++)
        {
            var lr = LearningRateSchedules.CosineWithWarmup(step, o.LearningRate, o.WarmupSteps, o.Steps);
            using var scope = NewDisposeScope();
            var rows = order.Next();
            using var batch = backbone.Batch(rows.Select(i => prompts[i]).ToList(), padId, o.MaxLength, device);
            using var classes = tensor(rows.Select(i => labels[i]).ToArray(), device: device);
            var loss = backbone.FineTuneLoss(batch, classes);
            Step(optimizer, loss, lr, o.MaxGradNorm, "fine-tune", step);
            Record(curve, bar, log, "finetune", step, loss, lr);
        }
        BackToFloat32(model, optimizer);
        model.eval();
        return curve;
    }

    private static void EnableCheckpointing(IClassifierBackbone backbone, FineTuneOptions o)
    {
        if (!o.GradientCheckpointing) return;
        if (backbone is not IGradientCheckpointing decoder)
            throw new UserError($"fine_tune.gradient_checkpointing = true is not available for {backbone.Shape.Family} backbones (decoder families: gpt_neox, llama, mistral, qwen2, gptj)");
        decoder.GradientCheckpointing = true;
    }

    /// <summary>After training on a half working copy, the model gets its float32 master weights back (saved and evaluated as fp32).</summary>
    private static void BackToFloat32(nn.Module model, ScaledOptimizer optimizer)
    {
        if (model.parameters().All(p => p.dtype == ScalarType.Float32)) return;
        model.to(ScalarType.Float32);
        optimizer.Optimizer.CopyMastersInto(model.parameters().ToList());
    }

    private static void Step(ScaledOptimizer optimizer, Tensor loss, double lr, double maxNorm, string phase, int step)
    {
        var value = loss.item<float>();
        if (!float.IsFinite(value))
            throw new InvalidOperationException($"{phase}: the loss became {value} at step {step} (lower the learning rate or check the data)");
        optimizer.ZeroGrad();
        optimizer.Backward(loss);
        optimizer.Step(lr, maxNorm);   // under fp16-mixed an overflowing step is skipped and the loss scale halved
    }

    /// <param name="phase">the curve's name in curves.json, and the training log's tag prefix</param>
    private static void Record(TrainingCurve curve, IProgressTask bar, ITrainingLog? log, string phase, int step, Tensor loss, double lr)
    {
        if (step % CurveEvery == 0)
        {
            var v = loss.item<float>();
            curve.Add(step, v, lr);
            log?.Scalar($"{phase}/loss", step, v);
            log?.Scalar($"{phase}/learning_rate", step, lr);
            bar.Status($"loss {v:F4}");
        }
        bar.Advance();
    }
}

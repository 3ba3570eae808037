using ClassifSae.Backbones.Decoders;
using ClassifSae.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning;

/// <summary>The soft-prompt alignment of a frozen decoder (spec 04 §3.3); defaults are the original's.</summary>
public sealed record SoftPromptSettings
{
    public int Tokens { get; init; } = 10;
    public int Steps { get; init; } = 2000;
    public int BatchSize { get; init; } = 2;
    public double LearningRate { get; init; } = 5e-3;
    /// <summary>LinearLR's end factor: lr falls linearly from LearningRate to LearningRate · EndFactor over Steps (1e-4 / 5e-3).</summary>
    public double EndFactor { get; init; } = 0.02;
    public double WeightDecay { get; init; } = 0.01;
}

/// <summary>
/// Trains <see cref="SoftPromptSettings.Tokens"/> vectors put in front of every prompt of a frozen decoder: init N(0, 1) from
/// the seed, the model in eval mode with no gradient, the loss the cross-entropy of the label-token logits at the decision token
/// against the true class (restricted to the label tokens, in class order), AdamW (β 0.9/0.999, ε 1e-8, decay 0.01), linear
/// decay, shuffled batches restarted when exhausted, no clipping.
/// </summary>
public static class SoftPromptTrainer
{
    public sealed record Result(Tensor Prompt, TrainingCurve Curve);

    /// <param name="prompts">encoded by the backbone's EncodePrompt (BOS, template, label digit)</param>
    /// <param name="labelTokenIds">the label tokens in class order</param>
    public static Result Train(CausalDecoder model, IReadOnlyList<int[]> prompts, IReadOnlyList<long> labels, IReadOnlyList<int> labelTokenIds,
        SoftPromptSettings s, int padId, int? maxLength, long seed, Device device, IProgressSink progress, ITrainingLog? log = null)
    {
        if (labels.Count != prompts.Count) throw new ArgumentException($"{labels.Count} labels for {prompts.Count} prompts", nameof(labels));
        var frozen = model.parameters().Select(p => (p, p.requires_grad)).ToList();
        foreach (var (p, _) in frozen) p.requires_grad = false;
        model.eval();
        try
        {
            var generator = new Generator((ulong)seed, device);
            var prompt = new TorchSharp.Modules.Parameter(randn(s.Tokens, model.Shape.HiddenSize, generator: generator, device: device));
            using var optimizer = optim.AdamW([prompt], lr: s.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: s.WeightDecay);
            using var labelIds = tensor(labelTokenIds.Select(i => (long)i).ToArray(), device: device);
            var order = new BatchOrder(prompts.Count, s.BatchSize, seed);
            var curve = new TrainingCurve();
            using var bar = progress.Begin("soft prompt (frozen model)", s.Steps);
            for (var step = 0; step < s.Steps; step++)
            {
                var lr = s.LearningRate * (1 - (1 - s.EndFactor) * step / s.Steps);
                foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
                using var scope = NewDisposeScope();
                var rows = order.Next();
                using var batch = model.Batch(rows.Select(i => prompts[i]).ToList(), padId, maxLength, device);
                var (_, logits) = model.Decision(batch, prompt, model.Shape.NumLayers);
                using var classes = tensor(rows.Select(i => labels[i]).ToArray(), device: device);
                var loss = nn.functional.cross_entropy(logits.index_select(1, labelIds), classes);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                var value = loss.item<float>();
                if (!float.IsFinite(value)) throw new InvalidOperationException($"soft prompt: the loss is {value} at step {step}");
                curve.Add(step, value, lr);
                log?.Scalar("soft_prompt/loss", step, value);
                log?.Scalar("soft_prompt/learning_rate", step, lr);
                bar.Status($"loss {value:F4}");
                bar.Advance(1);
            }
            return new Result(prompt.detach().cpu(), curve);
        }
        finally
        {
            foreach (var (p, grad) in frozen) p.requires_grad = grad;
        }
    }
}

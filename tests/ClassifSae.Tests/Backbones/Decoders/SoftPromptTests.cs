using ClassifSae.Backbones;
using ClassifSae.Backbones.Llama;
using ClassifSae.FineTuning;
using ClassifSae.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>The soft-prompt path (spec 04 §3.3): the prompted forward against the reference, and training that changes only the prompt.</summary>
public sealed class SoftPromptTests(ITestOutputHelper output)
{
    private static readonly int[][] Rows = [[1, 17, 4, 9, 22, 8, 40, 30], [1, 5, 33, 2, 7], [1, 6, 28]];

    [Theory]
    [InlineData("llama")]
    [InlineData("mistral")]
    [InlineData("gptj")]
    public void The_prompted_decision_matches_the_reference_with_the_prompt_rows_in_front(string family)
    {
        using var model = TinyDecoders.Create(family);
        var reference = TinyDecoders.Reference(model);
        using var _ = no_grad();
        using var prompt = randn(4, model.Shape.HiddenSize, generator: new Generator(7));
        var prefix = Enumerable.Range(0, 4).Select(r => prompt[r].to(ScalarType.Float64).data<double>().ToArray()).ToArray();
        using var batch = model.Batch(Rows, padId: 0, maxLength: null, CPU);
        var hook = model.Shape.DecisionHookLayer;
        var (hidden, logits) = model.Decision(batch, prompt, hook);
        using (hidden)
        using (logits)
        {
            double worst = 0;
            for (var r = 0; r < Rows.Length; r++)
            {
                // The row as it sits in the batch, [prompt, pads, tokens]: Mistral's window counts columns, pads included (transformers' rule).
                var pad = Rows.Max(x => x.Length) - Rows[r].Length;
                int[] ids = [.. Enumerable.Repeat(0, pad), .. Rows[r]];
                int[] mask = [.. Enumerable.Repeat(0, pad), .. Enumerable.Repeat(1, Rows[r].Length)];
                var (states, refLogits) = reference.HfOutputs(ids, mask, prefix);
                var t = ids.Length + 4;
                worst = Math.Max(worst, hidden[r].to(ScalarType.Float64).data<double>().ToArray().Zip(states[hook][t - 2], (a, b) => Math.Abs(a - b)).Max());
                worst = Math.Max(worst, logits[r].to(ScalarType.Float64).data<double>().ToArray().Zip(refLogits[t - 2], (a, b) => Math.Abs(a - b)).Max());
            }
            output.WriteLine($"{family} with a 4-row soft prompt, left-padded batch: max |Δ| {worst:E2}");
            Assert.True(worst < 1e-4, $"{family}: {worst:E2}");
        }
    }

    [Fact]
    public void Training_changes_only_the_prompt_and_lowers_the_restricted_loss()
    {
        using var model = TinyDecoders.Create("llama");
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        // Label = parity of the second token; label tokens 30 and 31.
        var rng = new Random(1);
        var prompts = new List<int[]>();
        var labels = new List<long>();
        for (var i = 0; i < 64; i++)
        {
            var label = i % 2;
            prompts.Add([1, 2 + 2 * rng.Next(10) + label, 3 + rng.Next(20), 30 + label]);
            labels.Add(label);
        }
        var settings = new SoftPromptSettings { Tokens = 10, Steps = 60, BatchSize = 8, LearningRate = 5e-2 };
        var result = SoftPromptTrainer.Train(model, prompts, labels, [30, 31], settings, padId: 0, maxLength: null, seed: 42, CPU, SilentProgress.Instance);
        using var prompt = result.Prompt;
        Assert.Equal([10L, 64L], prompt.shape);
        foreach (var (name, t) in model.state_dict())
        {
            Assert.True(t.eq(before[name]).all().item<bool>(), $"{name} changed: the model must stay frozen");
            Assert.True(t.requires_grad, $"{name}: requires_grad not restored");
        }
        using var init = randn(10, 64, generator: new Generator(42));
        Assert.False(prompt.allclose(init), "the prompt did not move from its N(0, 1) initialisation");
        var first = result.Curve.Points.Take(10).Average(p => p.Loss);
        var last = result.Curve.Points.TakeLast(10).Average(p => p.Loss);
        output.WriteLine($"restricted CE: first 10 steps {first:F3}, last 10 {last:F3}");
        Assert.True(last < first, $"loss {first:F3} → {last:F3}");
        Assert.Equal(5e-2 * (1 - 0.98 * 59 / 60), result.Curve.Points[^1].LearningRate, 12);
    }
}

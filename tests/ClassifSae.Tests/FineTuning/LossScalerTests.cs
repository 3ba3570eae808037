using ClassifSae.Backbones;
using ClassifSae.Backbones.Registry;
using ClassifSae.FineTuning;
using ClassifSae.FineTuning.Precision;
using ClassifSae.Runtime;
using ClassifSae.Tests.Backbones.Decoders;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.FineTuning;

/// <summary>fp16 mixed precision (spec 04 §3.2): GradScaler's schedule, a skipped overflowing step, convergence next to fp32.</summary>
public sealed class LossScalerTests(ITestOutputHelper output)
{
    [Fact]
    public void The_scale_starts_at_2_to_the_16_halves_on_overflow_and_doubles_after_2000_good_steps()
    {
        var s = new LossScaler();
        Assert.Equal(65536.0, s.Scale);
        s.Update(foundInf: true);
        Assert.Equal(32768.0, s.Scale);
        Assert.Equal(1, s.SkippedSteps);
        for (var i = 0; i < 1999; i++) s.Update(foundInf: false);
        Assert.Equal(32768.0, s.Scale);
        s.Update(foundInf: false);
        Assert.Equal(65536.0, s.Scale);
        Assert.Equal(0, s.GoodSteps);
        for (var i = 0; i < 1500; i++) s.Update(foundInf: false);
        s.Update(foundInf: true);                 // an overflow restarts the count of good steps
        for (var i = 0; i < 1999; i++) s.Update(foundInf: false);
        Assert.Equal(32768.0, s.Scale);
    }

    private static (nn.Module Model, Tensor X, Tensor Y) Problem(long seed)
    {
        var g = new Generator((ulong)seed);
        var model = nn.Sequential(nn.Linear(16, 32), nn.Tanh(), nn.Linear(32, 1));
        using (no_grad()) foreach (var p in model.parameters()) p.copy_(randn(p.shape, generator: g) * 0.3);
        var x = randn(64, 16, generator: g);
        var y = (x[.., 0] * 0.7 - x[.., 1] * 0.3).unsqueeze(1);
        return (model, x, y);
    }

    private static Tensor Loss(nn.Module model, Tensor x, Tensor y) =>
        nn.functional.mse_loss(((nn.Module<Tensor, Tensor>)model).forward(x.to(model.parameters().First().dtype)).to(ScalarType.Float32), y);

    [Fact]
    public void An_inf_gradient_skips_the_step_halves_the_scale_and_leaves_the_weights_unchanged()
    {
        var (model, x, y) = Problem(1);
        using var opt = ScaledOptimizer.ForModel(model, 0.01, TrainingPrecision.Fp16Mixed, eightBitState: false);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float16, p.dtype));
        using var masters = opt.Optimizer.MasterWeights.clone();
        var working = model.parameters().Select(p => p.detach().clone()).ToList();

        opt.ZeroGrad();
        opt.Backward(Loss(model, x, y));
        using (no_grad()) model.parameters().First().grad![0, 0] = float.PositiveInfinity;   // an fp16 overflow in backward
        Assert.False(opt.Step(1e-2, 1.0));
        Assert.Equal(32768.0, opt.Scaler!.Scale);
        Assert.True(opt.Optimizer.MasterWeights.eq(masters).all().item<bool>(), "the float32 masters moved on a skipped step");
        Assert.All(model.parameters().Zip(working), pw => Assert.True(pw.First.eq(pw.Second).all().item<bool>(), "a working weight moved on a skipped step"));

        opt.ZeroGrad();
        opt.Backward(Loss(model, x, y));
        Assert.True(opt.Step(1e-2, 1.0));
        Assert.Equal(32768.0, opt.Scaler.Scale);
        Assert.Equal(1, opt.Scaler.GoodSteps);
        Assert.False(opt.Optimizer.MasterWeights.eq(masters).all().item<bool>(), "a good step did not update the masters");
        // The working copy is the float16 rounding of the updated masters.
        var flat = cat(model.parameters().Select(p => p.detach().flatten()).ToList()).to(ScalarType.Float32);
        using var rounded = opt.Optimizer.MasterWeights.to(ScalarType.Float16).to(ScalarType.Float32);
        Assert.Equal(rounded.sort().Values.data<float>().ToArray(), flat.sort().Values.data<float>().ToArray());
    }

    [Fact]
    public void The_loss_scale_is_divided_out_of_the_gradients_before_the_update()
    {
        // The same float16-representable weights trained in fp16-mixed and in fp32: after the step both optimisers hold the
        // gradient of the unscaled loss (the scaled one would be 2^16 times larger).
        var (a, x, y) = Problem(2);
        var (b, _, _) = Problem(2);
        using (no_grad()) foreach (var (p, q) in a.parameters().Zip(b.parameters())) { p.copy_(p.to(ScalarType.Float16)); q.copy_(p); }
        using var mixed = ScaledOptimizer.ForModel(a, 0.0, TrainingPrecision.Fp16Mixed, eightBitState: false, fusedCpuKernel: false);
        using var full = ScaledOptimizer.ForModel(b, 0.0, TrainingPrecision.Fp32, eightBitState: false, fusedCpuKernel: false);
        foreach (var (o, m) in new[] { (mixed, a), (full, b) })
        {
            // Gradients of order 1 overflow float16 at 2^16: such steps are skipped (weights unchanged) until the scale fits.
            var attempts = 0;
            do
            {
                o.ZeroGrad();
                o.Backward(Loss(m, x, y));
            } while (!o.Step(1e-3, 0) && ++attempts < 8);
            Assert.True(attempts < 8, "no step succeeded");
        }
        output.WriteLine($"fp16-mixed stepped at loss scale {mixed.Scaler!.Scale} after {mixed.Scaler.SkippedSteps} skipped steps");
        using var reference = full.Optimizer.CopyOfGradients();
        using var unscaled = mixed.Optimizer.CopyOfGradients();
        var relative = ((unscaled - reference).norm() / reference.norm()).item<float>();
        output.WriteLine($"fp16-mixed vs fp32 gradient after unscaling: relative error {relative:E2}");
        Assert.True(relative < 1e-2, $"{relative:E2}");
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt_neox")]
    public void Half_precision_fine_tuning_of_a_tiny_decoder_converges_like_fp32(string family)
    {
        var rng = new Random(3);
        var prompts = new List<int[]>();
        var labels = new List<long>();
        for (var i = 0; i < 96; i++)
        {
            var label = i % 2;
            prompts.Add([1, 2 + 2 * rng.Next(10) + label, 3 + rng.Next(20), 30 + label]);
            labels.Add(label);
        }
        // fp32, fp16-mixed, bf16, and the upstream GPT-J/Pythia recipe: fp16-mixed + 8-bit AdamW + gradient checkpointing.
        var runs = new (string Name, FineTuneOptions Options)[]
        {
            ("fp32", new FineTuneOptions()),
            ("fp16-mixed", new FineTuneOptions { Precision = TrainingPrecision.Fp16Mixed }),
            ("bf16", new FineTuneOptions { Precision = TrainingPrecision.Bf16 }),
            ("fp16-mixed + adamw-8bit", new FineTuneOptions
            {
                Precision = TrainingPrecision.Fp16Mixed, Optimizer = FineTuneOptions.AdamW8bit, GradientCheckpointing = true,
            }),
        };
        var losses = new Dictionary<string, (double First, double Last)>();
        foreach (var (name, options) in runs)
        {
            using var model = family == "llama"
                ? (IClassifierBackbone)TinyDecoders.Create("llama", seed: 11)
                : BackboneRegistry.CreateScratch("gpt_neox", new ScratchShape(48, 64, 2, 4, 128, 0.25, 64), seed: 11);
            var o = options with { Steps = 60, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 0 };
            var curve = ClassifierFineTuner.FineTune(model, prompts, labels, o, padId: 0, seed: 4, CPU, SilentProgress.Instance);
            Assert.All(model.Module.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
            var (first, last) = (curve.Points[0].Loss, curve.Points.TakeLast(2).Average(p => p.Loss));
            losses[name] = (first, last);
            output.WriteLine($"{family} {name}: fine-tuning loss {first:F4} → {last:F4}");
        }
        var fp32 = losses["fp32"];
        Assert.True(fp32.Last < 0.5 * fp32.First, "fp32 did not learn the parity task");
        foreach (var (name, (first, last)) in losses)
        {
            Assert.Equal(fp32.First, first, 1);
            Assert.True(Math.Abs(last - fp32.Last) < 0.15 * fp32.First, $"{name} ends at {last:F4}, fp32 at {fp32.Last:F4}");
        }
    }
}

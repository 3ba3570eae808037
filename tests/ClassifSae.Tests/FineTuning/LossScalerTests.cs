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
        var reference = full.Optimizer.Gradients;
        var relative = ((mixed.Optimizer.Gradients - reference).norm() / reference.norm()).item<float>();
        output.WriteLine($"fp16-mixed vs fp32 gradient after unscaling: relative error {relative:E2}");
        Assert.True(relative < 1e-2, $"{relative:E2}");
    }

    [Fact]
    public void Fp16_mixed_fine_tuning_of_a_tiny_llama_converges_like_fp32()
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
        var losses = new Dictionary<string, (double First, double Last)>();
        foreach (var precision in new[] { TrainingPrecision.Fp32, TrainingPrecision.Fp16Mixed, TrainingPrecision.Bf16 })
        {
            using var model = TinyDecoders.Create("llama", seed: 11);
            var o = new FineTuneOptions { Steps = 60, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 0, Precision = precision };
            var curve = ClassifierFineTuner.FineTune(model, prompts, labels, o, padId: 0, seed: 4, CPU, SilentProgress.Instance);
            Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
            var (first, last) = (curve.Points[0].Loss, curve.Points.TakeLast(2).Average(p => p.Loss));
            losses[precision] = (first, last);
            output.WriteLine($"{precision}: fine-tuning loss {first:F4} → {last:F4}");
        }
        Assert.True(losses[TrainingPrecision.Fp32].Last < 0.5 * losses[TrainingPrecision.Fp32].First, "fp32 did not learn the parity task");
        foreach (var p in new[] { TrainingPrecision.Fp16Mixed, TrainingPrecision.Bf16 })
        {
            Assert.Equal(losses[TrainingPrecision.Fp32].First, losses[p].First, 1);
            Assert.True(Math.Abs(losses[p].Last - losses[TrainingPrecision.Fp32].Last) < 0.15 * losses[TrainingPrecision.Fp32].First,
                $"{p} ends at {losses[p].Last:F4}, fp32 at {losses[TrainingPrecision.Fp32].Last:F4}");
        }
    }
}

using ClassifSae.FineTuning;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Tests.FineTuning;

/// <summary>
/// FlatAdamW against TorchSharp's own AdamW + clip_grad_norm_ (the fine-tuner's previous optimizer, torch.optim.AdamW's
/// algorithm): same parameters after many steps up to float rounding, with clipping active, weight decay on some
/// parameters only, and both the fused CPU pass and the whole-buffer tensor path.
/// </summary>
public class FlatAdamWTests
{
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _inner = nn.Linear(6, 16);
        private readonly LayerNorm _layernorm = nn.LayerNorm(16);
        private readonly Linear _outer = nn.Linear(16, 3);

        public Net(long seed) : base("net")
        {
            RegisterComponents();
            using var gen = new Generator((ulong)seed);
            using var _ = no_grad();
            foreach (var p in parameters()) p.copy_(randn(p.shape, generator: gen) * 0.5);
        }

        public override Tensor forward(Tensor x) => _outer.forward(nn.functional.gelu(_layernorm.forward(_inner.forward(x))));
    }

    private static (Tensor X, Tensor Y) Data()
    {
        using var gen = new Generator(7);
        return (randn([64, 6], generator: gen) * 3, randint(0, 3, [64], generator: gen));
    }

    /// <summary>Trains 30 steps with a cosine-like lr; returns the final parameters, flattened, in name order.</summary>
    private static float[] Train(Func<Net, Action<Tensor, double>> makeStep)
    {
        using var net = new Net(3);
        var (x, y) = Data();
        var step = makeStep(net);
        for (var t = 0; t < 30; t++)
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.cross_entropy(net.forward(x), y);
            step(loss, 0.05 * (1 + Math.Cos(Math.PI * t / 30)) / 2);
        }
        return net.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal).SelectMany(p => p.parameter.detach().data<float>().ToArray()).ToArray();
    }

    private static float[] TrainWithTorchSharpAdamW(double maxNorm) => Train(net =>
    {
        var groups = WeightDecayGroups.Split(net).GroupBy(p => p.Decay).Select(g =>
            new AdamW.ParamGroup(g.Select(p => p.Parameter), new AdamW.Options { LearningRate = 0.05, weight_decay = g.Key ? 0.1 : 0 })).ToArray();
        var opt = optim.AdamW(groups, 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8);
        return (loss, lr) =>
        {
            foreach (var g in opt.ParamGroups) g.LearningRate = lr;
            opt.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(net.parameters(), maxNorm);
            opt.step();
        };
    });

    private static float[] TrainWithFlat(double maxNorm, bool fused) => Train(net =>
    {
        var opt = FlatAdamW.ForModel(net, 0.1, fusedCpuKernel: fused);
        return (loss, lr) =>
        {
            opt.ZeroGrad();
            loss.backward();
            opt.Step(lr, maxNorm).Dispose();
        };
    });

    [Theory]
    [InlineData(0.5, true)]     // clipping bites on most steps
    [InlineData(0.5, false)]
    [InlineData(1e6, true)]     // never clips
    public void Matches_torchsharp_adamw_with_clipping_after_30_steps(double maxNorm, bool fused)
    {
        var expected = TrainWithTorchSharpAdamW(maxNorm);
        var actual = TrainWithFlat(maxNorm, fused);
        Assert.Equal(expected.Length, actual.Length);
        var start = TrainWithFlat(maxNorm, fused);   // deterministic: a second run is bit-identical
        Assert.Equal(actual, start);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1e-3, Math.Abs(e))).Max();
        Assert.True(worst < 1e-4, $"largest relative difference {worst:E2}");
        // The update moved the parameters far more than that tolerance (so the comparison can fail).
        using var fresh = new Net(3);
        var initial = fresh.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal).SelectMany(p => p.parameter.detach().data<float>().ToArray()).ToArray();
        Assert.True(initial.Zip(actual, (i, a) => Math.Abs(i - a)).Max() > 0.1);
    }

    [Fact]
    public void Clipping_changes_the_result_and_weight_decay_skips_biases_and_layernorms()
    {
        Assert.NotEqual(TrainWithFlat(0.5, true), TrainWithFlat(1e6, true));
        using var net = new Net(3);
        var decayed = WeightDecayGroups.Split(net).Where(p => p.Decay).Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["_inner.weight", "_outer.weight"], decayed);
    }

    [Fact]
    public void Parameters_and_gradients_live_in_the_flat_buffers()
    {
        using var net = new Net(3);
        using var opt = FlatAdamW.ForModel(net, 0.0);
        Assert.Equal(net.parameters().Sum(p => p.numel()), opt.ParameterCount);
        var (x, y) = Data();
        nn.functional.cross_entropy(net.forward(x), y).backward();
        var gradNorm = opt.Step(0.0, 0).item<float>();   // lr 0: nothing moves, the norm is the gradient's
        var expected = Math.Sqrt(net.parameters().Sum(p => p.grad!.square().sum().item<float>()));
        Assert.Equal(expected, gradNorm, 4);
        opt.ZeroGrad();
        Assert.All(net.parameters(), p => Assert.Equal(0f, p.grad!.abs().max().item<float>()));
    }
}

using ClassifSae.FineTuning;
using ClassifSae.FineTuning.Precision;
using ClassifSae.FineTuning.Quantization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.FineTuning;

/// <summary>bitsandbytes' 8-bit block-wise AdamW (spec 04 §3.2, adamw_bnb_8bit): its dynamic map, block-wise quantisation, saved state, convergence.</summary>
public sealed class BlockwiseAdamW8bitTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adamw8bit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_dynamic_maps_have_the_known_codes()
    {
        var signed = DynamicQuantizationMap.Create(signed: true);
        var unsigned = DynamicQuantizationMap.Create(signed: false);
        Assert.Equal(256, signed.Length);
        Assert.Equal(256, unsigned.Length);
        // Signed: 127 positive and 127 negative codes, 0 and 1. The top decade (10^0) has 64 means of linspace(0.1, 1, 65):
        // 0.1 + 0.9/64·(j + ½); the bottom (10^-6) one mean, 0.55e-6.
        Assert.Equal(1f, signed[255]);
        Assert.Equal(-(1 - 0.9f / 128), signed[0], 6);
        Assert.Equal(0.1f + 0.9f / 64 * 63.5f, signed[254], 6);
        Assert.Equal(0.1f + 0.9f / 64 * 62.5f, signed[253], 6);
        Assert.Equal(127, signed.Count(v => v > 0 && v < 1));
        Assert.Equal(0.55e-6f, signed.Where(v => v > 0).Min(), 12);
        Assert.Contains(0f, signed);
        // Unsigned: no negatives, 254 means (twice the fraction items per decade), 0 and 1; its bottom decade 0.325e-6, 0.775e-6.
        Assert.Equal(0f, unsigned[0]);
        Assert.Equal(1f, unsigned[255]);
        Assert.Equal(1 - 0.9f / 256, unsigned[254], 6);
        Assert.Equal(0.325e-6f, unsigned[1], 12);
        Assert.Equal(0.775e-6f, unsigned[2], 12);
        Assert.True(signed.Zip(signed.Skip(1)).All(p => p.First <= p.Second), "the signed map is not sorted");
    }

    [Fact]
    public void Quantising_a_hand_vector_gives_the_nearest_codes_scaled_by_each_blocks_absmax()
    {
        using var q = new BlockwiseQuantizer(DynamicQuantizationMap.Create(signed: true), blockSize: 4);
        using var x = tensor(new[] { 0.5f, -1f, 0.25f, 0f, 2f, 0f, 0f, 0f, 0f, 0f });
        var (codes, absmax) = q.Quantize(x);
        using (codes)
        using (absmax)
        {
            Assert.Equal(new[] { 1f, 2f, 1f }, absmax.data<float>().ToArray());    // a block of zeros keeps absmax 1
            using var back = q.Dequantize(codes, absmax);
            var v = back.data<float>().ToArray();
            // 0.5 → the 29th mean of the top decade, 0.1 + 0.9/64·28.5; 0.25 → 0.1 + 0.9/64·10.5; −1 → −(1 − 0.9/128); 2 → 2·1.
            Assert.Equal(0.1f + 0.9f / 64 * 28.5f, v[0], 6);
            Assert.Equal(-(1 - 0.9f / 128), v[1], 6);
            Assert.Equal(0.1f + 0.9f / 64 * 10.5f, v[2], 6);
            Assert.Equal(0f, v[3]);
            Assert.Equal(2f, v[4]);
            Assert.All(v[5..], e => Assert.Equal(0f, e));
        }
    }

    [Fact]
    public void The_round_trip_error_is_within_half_a_code_gap_of_the_dynamic_map()
    {
        var map = DynamicQuantizationMap.Create(signed: true);
        using var q = new BlockwiseQuantizer(map);
        // Values over five decades, so the dynamic map's finer codes near zero are exercised.
        using var x = randn(10_000, generator: new Generator(3)) * pow(10.0, -5 * rand(10_000, generator: new Generator(4)));
        var (codes, absmax) = q.Quantize(x);
        using (codes)
        using (absmax)
        using (var back = q.Dequantize(codes, absmax))
        {
            var xs = x.data<float>().ToArray();
            var bs = back.data<float>().ToArray();
            var am = absmax.data<float>().ToArray();
            double worstTop = 0, worstSmall = 0;
            for (var i = 0; i < xs.Length; i++)
            {
                var s = xs[i] / am[i / 256];
                var err = Math.Abs(bs[i] - xs[i]) / am[i / 256];
                // The code just above and below s bound the error: half their gap (plus float32 rounding).
                // Below the lowest code (the signed map has no −1) the lowest code is the nearest.
                var upper = map.Where(c => c >= s).DefaultIfEmpty(float.NaN).Min();
                var lower = map.Where(c => c <= s).DefaultIfEmpty(float.NaN).Max();
                var bound = float.IsNaN(lower) ? upper - s : float.IsNaN(upper) ? s - lower : (upper - lower) / 2;
                Assert.True(err <= bound + 1e-6, $"value {i} (s = {s}): error {err} over the bound {bound}");
                if (Math.Abs(s) > 0.1) worstTop = Math.Max(worstTop, err);
                else if (Math.Abs(s) > 0.01) worstSmall = Math.Max(worstSmall, err);
            }
            output.WriteLine($"relative-to-absmax error: |s| > 0.1 ≤ {worstTop:E2}, 0.01 < |s| ≤ 0.1 ≤ {worstSmall:E2}");
            // The dynamic map is ten times finer one decade down (a linear 8-bit map would err up to 1/255 everywhere).
            Assert.True(worstTop <= 0.9 / 128 + 1e-6, $"{worstTop}");
            Assert.True(worstSmall <= 0.09 / 64 + 1e-6, $"{worstSmall}");
        }
    }

    private static (nn.Module Model, Tensor X, Tensor Y) Regression(long seed)
    {
        var g = new Generator((ulong)seed);
        var model = nn.Sequential(nn.Linear(128, 64), nn.Tanh(), nn.Linear(64, 1));   // 8192 + 64 + 64 + 1 weights
        using (no_grad()) foreach (var p in model.parameters()) p.copy_(randn(p.shape, generator: g) * 0.1);
        var x = randn(256, 128, generator: g);
        using var w = randn(128, 1, generator: g) / Math.Sqrt(128);
        var y = x.matmul(w).tanh();
        return (model, x, y);
    }

    private static float Train(nn.Module model, ScaledOptimizer opt, Tensor x, Tensor y, int steps)
    {
        float last = 0;
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            opt.ZeroGrad();
            var loss = nn.functional.mse_loss(((nn.Module<Tensor, Tensor>)model).forward(x), y);
            opt.Backward(loss);
            opt.Step(3e-3, 1.0);
            last = loss.item<float>();
        }
        return last;
    }

    [Fact]
    public void Eight_bit_adamw_converges_like_fp32_adamw_with_a_quarter_of_the_state()
    {
        var (a, x, y) = Regression(7);
        var (b, _, _) = Regression(7);
        using var eight = ScaledOptimizer.ForModel(a, 0.01, TrainingPrecision.Fp32, eightBitState: true);
        using var full = ScaledOptimizer.ForModel(b, 0.01, TrainingPrecision.Fp32, eightBitState: false);
        using var start = nn.functional.mse_loss(((nn.Module<Tensor, Tensor>)b).forward(x), y);
        var l8 = Train(a, eight, x, y, 300);
        var l32 = Train(b, full, x, y, 300);
        var drift = ((eight.Optimizer.MasterWeights - full.Optimizer.MasterWeights).norm() / full.Optimizer.MasterWeights.norm()).item<float>();
        output.WriteLine($"MSE {start.item<float>():E3} → fp32 AdamW {l32:E3}, 8-bit AdamW {l8:E3}; relative weight distance {drift:E2}; " +
                         $"state {eight.Optimizer.StateBytes} vs {full.Optimizer.StateBytes} bytes");
        Assert.True(l32 < 0.05 * start.item<float>(), "fp32 AdamW did not fit the problem");
        Assert.True(Math.Abs(l8 - l32) < 0.25 * l32 + 1e-4, $"8-bit {l8:E3} vs fp32 {l32:E3}");
        Assert.True(drift < 0.05, $"{drift:E2}");
        // The 128×64 weight (8192 values) is quantised; the biases and the 64-value head (< 4096) keep float32 moments.
        var state = eight.Optimizer.QuantizedState!;
        Assert.True(state.IsQuantized(0));
        Assert.Equal(2 * 8192 + 4 * 2 * 32 + 8 * (64 + 64 + 1), eight.Optimizer.StateBytes);
        Assert.False(l8 == l32, "8-bit and fp32 AdamW gave bit-identical losses: the 8-bit path did not run");
    }

    [Fact]
    public void The_8bit_state_survives_saving_and_loading()
    {
        var (a, x, y) = Regression(9);
        var (b, _, _) = Regression(9);
        using var first = ScaledOptimizer.ForModel(a, 0.01, TrainingPrecision.Fp32, eightBitState: true);
        Train(a, first, x, y, 20);
        var file = Path.Combine(_dir, "optimizer.safetensors");
        first.Optimizer.QuantizedState!.Save(file);

        using var second = ScaledOptimizer.ForModel(b, 0.01, TrainingPrecision.Fp32, eightBitState: true);
        second.Optimizer.QuantizedState!.Load(file);
        foreach (var (name, t) in first.Optimizer.QuantizedState.StateTensors())
            Assert.True(t.eq(second.Optimizer.QuantizedState.StateTensors()[name]).all().item<bool>(), $"{name} differs after loading");
        Assert.Equal(ScalarType.Byte, first.Optimizer.QuantizedState.StateTensors()["0.m_codes"].dtype);
        var (m, v) = second.Optimizer.QuantizedState.Dequantized(0);
        Assert.True(m.abs().max().item<float>() > 0 && v.min().item<float>() >= 0, "the loaded moments are empty or v is negative");

        // A state for other parameters is refused with the file named, not half loaded.
        using var other = ScaledOptimizer.ForModel(nn.Sequential(nn.Linear(64, 128)), 0.01, TrainingPrecision.Fp32, eightBitState: true);
        var e = Assert.Throws<InvalidDataException>(() => other.Optimizer.QuantizedState!.Load(file));
        Assert.Contains("optimizer.safetensors", e.Message);
    }
}

using ClassifSae.Backbones;
using ClassifSae.Backbones.Registry;
using ClassifSae.Runtime;
using ClassifSae.Tests.Backbones.Encoders;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>
/// <see cref="BackboneRegistry.Load(string, ScalarType)"/>: every decoder family loads a float32 folder straight into
/// bfloat16/float16 parameters (the file's values rounded, bit for bit), <see cref="DecisionPass"/> runs it and hands back
/// float32 states within half-precision rounding of the float32 model's; an encoder is refused.
/// </summary>
[Collection(ClassifSae.Tests.Backbones.Decoders.DefaultDtypeCollection.Name)]
public sealed class ComputeDtypeLoadTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("compute-dtype-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly int[][] Prompts = [[1, 17, 4, 9, 22, 8, 40, 30], [1, 5, 33, 2, 7], [1, 6, 28, 3]];

    [Theory]
    [InlineData("llama", ScalarType.BFloat16)]
    [InlineData("mistral", ScalarType.BFloat16)]
    [InlineData("qwen2", ScalarType.Float16)]
    [InlineData("gptj", ScalarType.BFloat16)]
    [InlineData("gpt_neox", ScalarType.BFloat16)]
    [InlineData("gpt_neox", ScalarType.Float16)]
    public void A_decoder_loads_into_half_precision_and_the_decision_pass_returns_float32(string family, ScalarType dtype)
    {
        using (IClassifierBackbone saved = family == "gpt_neox" ? TinyGptNeoX.Create(seed: 4) : TinyDecoders.Create(family, seed: 4)) saved.Save(_dir);
        using var full = BackboneRegistry.Load(_dir);
        using var half = BackboneRegistry.Load(_dir, dtype);
        Assert.Equal(dtype, ComputeDtype.Of(half));
        var fullState = full.Module.state_dict();
        foreach (var (name, p) in half.Module.state_dict())
        {
            Assert.Equal(dtype, p.dtype);
            Assert.True(p.eq(fullState[name].to(dtype)).all().item<bool>(), $"{name}: not the float32 weight rounded to {dtype}");
        }

        var hook = full.Shape.DecisionHookLayer;
        int[] labels = [30, 31];
        using var a = DecisionPass.Run(full, Prompts, hook, labels, padId: 0, batchSize: 2, maxLength: 64, CPU, SilentProgress.Instance, "fp32");
        using var b = DecisionPass.Run(half, Prompts, hook, labels, padId: 0, batchSize: 2, maxLength: 64, CPU, SilentProgress.Instance, "half");
        Assert.Equal(ScalarType.Float32, b.Hidden.dtype);
        Assert.Equal(ScalarType.Float32, b.LabelLogits.dtype);
        var scale = a.Hidden.abs().max().item<float>();
        var diff = (a.Hidden - b.Hidden).abs().max().item<float>();
        output.WriteLine($"{family} {dtype}: max |h| {scale:E3}, max |Δh| {diff:E3} ({diff / scale:E2} of max)");
        Assert.True(diff > 0, "the half-precision pass equals the float32 one: it did not run in half precision");
        Assert.True(diff <= 0.03 * scale, $"max |Δh| {diff:E3} over 3 % of {scale:E3}");
    }

    [Fact]
    public void A_float32_soft_prompt_joins_a_bfloat16_model()
    {
        using (var saved = TinyDecoders.Create("llama", seed: 4)) saved.Save(_dir);
        using var full = BackboneRegistry.Load(_dir);
        using var half = BackboneRegistry.Load(_dir, ScalarType.BFloat16);
        using var prompt = randn(3, full.Shape.HiddenSize, generator: new Generator(9));
        var hook = full.Shape.DecisionHookLayer;
        using var a = DecisionPass.Run(full, Prompts, hook, [30, 31], 0, 2, 64, CPU, SilentProgress.Instance, "fp32", prompt);
        using var b = DecisionPass.Run(half, Prompts, hook, [30, 31], 0, 2, 64, CPU, SilentProgress.Instance, "bf16", prompt);
        Assert.Equal(ScalarType.Float32, prompt.dtype);   // the caller's prompt is left as it was
        var diff = (a.Hidden - b.Hidden).abs().max().item<float>();
        var scale = a.Hidden.abs().max().item<float>();
        output.WriteLine($"soft-prompted llama bf16: max |Δh| {diff:E3} of max |h| {scale:E3}");
        Assert.True(diff > 0 && diff <= 0.03 * scale, $"{diff:E3} vs {scale:E3}");
    }

    [Fact]
    public void An_encoder_computes_in_float32_only()
    {
        using (var saved = TinyRoberta.Create()) saved.Save(_dir);
        Assert.False(BackboneRegistry.LoadsHalfPrecision(_dir));
        var e = Assert.Throws<ArgumentException>(() => BackboneRegistry.Load(_dir, ScalarType.BFloat16));
        Assert.Contains("float32 only", e.Message);
    }
}

using System.Text.Json.Nodes;
using ClassifSae.Backbones.GptNeoX;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

/// <summary>
/// GPT-NeoX rotary cos/sin against the values torch computes the way transformers does (float32 throughout), from the
/// committed fixture of build/tools/dump_rotary_fixture.py. Computing them in float64 and casting misses by 3.4e-5 at
/// positions ≥ 1792 (2e-6 already below 200), far above the tolerance.
/// </summary>
public class RotaryFixtureTests
{
    private static readonly string Fixture = Path.Combine(RepoPaths.Root, "tests", "ClassifSae.Tests", "Fixtures", "rotary_gpt_neox_torch.json");

    public static TheoryData<int> Cases() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cos_and_sin_equal_transformers_float32_values(int index)
    {
        var json = JsonNode.Parse(File.ReadAllText(Fixture))!;
        Assert.StartsWith("1.13", json["torch"]!.GetValue<string>());
        var c = json["cases"]![index]!;
        var (dims, theta) = (c["rotary_dims"]!.GetValue<int>(), c["base"]!.GetValue<double>());
        var positions = c["positions"]!.AsArray().Select(p => p!.GetValue<long>()).ToArray();
        Assert.Contains(positions, p => p >= 1792);
        using var scope = NewDisposeScope();
        var (cos, sin) = RotaryEmbedding.Angles(tensor(positions).unsqueeze(0), dims, theta);   // [1, 1, P, r]
        foreach (var (name, ours) in new[] { ("cos", cos), ("sin", sin) })
        {
            var expected = tensor(c[name]!.AsArray().SelectMany(row => row!.AsArray().Select(v => (float)v!.GetValue<double>())).ToArray(), [positions.Length, dims]);
            var diff = (ours[0, 0] - expected).abs().max().item<float>();
            // Within one float32 ulp (measured: 5.96e-8, the cos/sin kernels of the two libtorch builds); the float64 route misses by 3.8e-5 to 1.4e-4.
            Assert.True(diff <= 1.2e-7, $"{name} (r={dims}, base={theta}): max |Δ| {diff:E2} from torch's float32 values");
        }
    }
}

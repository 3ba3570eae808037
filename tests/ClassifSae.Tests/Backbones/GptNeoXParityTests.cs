using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Formats;
using ClassifSae.Tests.Cli;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

/// <summary>Our TorchSharp GPT-NeoX against the independent double-precision reference, and the golden-file mechanism.</summary>
public sealed class GptNeoXParityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parity-").FullName;
    private static readonly int[] Prompt = [3, 17, 4, 9, 22, 8, 1, 30];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static GptNeoXForCausalLM Model() => TinyGptNeoX.Create(seed: 11, TinyGptNeoX.Config(vocab: 40, d: 32, layers: 2, heads: 2) with { RotaryPct = 0.25 });

    [Fact]
    public void Hidden_states_and_logits_match_the_reference_forward()
    {
        using var model = Model();
        var (hidden, logits) = new ReferenceGptNeoX(model).Forward(Prompt);
        using var _ = no_grad();
        using var batch = TokenBatch.LeftPadded([Prompt], padId: 0);
        for (var layer = 0; layer <= model.Config.NumLayers; layer++)
        {
            using var ours = model.Residual(batch, layer);
            var expected = tensor(hidden[layer].SelectMany(r => r).ToArray(), [Prompt.Length, model.Config.HiddenSize]).to(ScalarType.Float32);
            Assert.True(ours[0].allclose(expected, rtol: 1e-4, atol: 1e-4), $"layer {layer}: max diff {(ours[0] - expected).abs().max().item<float>()}");
        }
        using var l = model.Logits(batch);
        var expectedLogits = tensor(logits.SelectMany(r => r).ToArray(), [Prompt.Length, model.Config.VocabSize]).to(ScalarType.Float32);
        Assert.True(l[0].allclose(expectedLogits, rtol: 1e-4, atol: 1e-4), $"logits: max diff {(l[0] - expectedLogits).abs().max().item<float>()}");
    }

    private string WriteGolden(GptNeoXForCausalLM model, double perturb)
    {
        var (hidden, logits) = new ReferenceGptNeoX(model).Forward(Prompt);
        var n = model.Config.NumLayers;
        var d = model.Config.HiddenSize;
        // HF's last hidden state is after the final LayerNorm; verify-backbone compares entries 0..L-1 and the logits.
        var h = tensor(hidden.Take(n + 1).SelectMany(x => x.SelectMany(r => r)).ToArray(), [n + 1, Prompt.Length, d]).to(ScalarType.Float32);
        var lg = tensor(logits.SelectMany(r => r).Select(v => v + perturb).ToArray(), [Prompt.Length, model.Config.VocabSize]).to(ScalarType.Float32);
        var path = Path.Combine(_dir, $"golden-{perturb}.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor>
        {
            ["input_ids.0"] = tensor(Prompt.Select(i => (long)i).ToArray()), ["hidden_states.0"] = h, ["logits.0"] = lg,
        });
        return path;
    }

    [Fact]
    public void Verify_backbone_accepts_matching_golden_tensors_and_rejects_a_mismatch()
    {
        using var model = Model();
        var folder = Path.Combine(_dir, "model");
        GptNeoXCheckpoint.Save(model, folder);
        var ok = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", WriteGolden(model, 0), "--tolerance", "1e-4");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("OK: within", ok.Output);
        var bad = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", WriteGolden(model, 0.01), "--tolerance", "1e-4");
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("MISMATCH", bad.Output);
    }

    [Fact]
    public void Half_precision_checkpoints_load_as_fp32()
    {
        using var model = Model();
        var folder = Path.Combine(_dir, "bf16");
        GptNeoXCheckpoint.Save(model, folder);
        var weights = Path.Combine(folder, "model.safetensors");
        var tensors = SafetensorsFile.Read(weights).ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.BFloat16));
        SafetensorsFile.Write(weights, tensors);
        using var loaded = GptNeoXCheckpoint.Load(folder);
        var original = model.state_dict()["gpt_neox.layers.1.mlp.dense_h_to_4h.weight"];
        var back = loaded.state_dict()["gpt_neox.layers.1.mlp.dense_h_to_4h.weight"];
        Assert.Equal(ScalarType.Float32, back.dtype);
        Assert.True(back.allclose(original, rtol: 1e-2, atol: 1e-2));
    }
}

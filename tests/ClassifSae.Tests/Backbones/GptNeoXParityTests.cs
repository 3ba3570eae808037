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

    // One left-padded batch as dump_golden.py writes it: rows of 8, 5 and 3 real tokens, pad id 0 on the left.
    private static readonly int[][] Rows = [Prompt, [12, 5, 33, 2, 7], [19, 6, 28]];
    private const float PadValue = 1e6f; // what transformers computes at padding is arbitrary: the verifier must not look at it

    /// <summary>A golden file in the format of issue 13 made by the double-precision reference forward.</summary>
    private string WriteGolden(GptNeoXForCausalLM model, string name, Action<Dictionary<string, Tensor>>? tamper = null)
    {
        var (n, d, v) = (model.Config.NumLayers, model.Config.HiddenSize, model.Config.VocabSize);
        var t = Rows.Max(r => r.Length);
        var reference = new ReferenceGptNeoX(model);
        var tensors = new Dictionary<string, Tensor>();
        for (var i = 0; i < Rows.Length; i++)
        {
            var pad = t - Rows[i].Length;
            var ids = Enumerable.Repeat(0, pad).Concat(Rows[i]).ToArray();
            var mask = Enumerable.Range(0, t).Select(j => j < pad ? 0 : 1).ToArray();
            var (states, logits) = reference.HfOutputs(ids, mask);
            var h = states.SelectMany(s => s.SelectMany((row, j) => row.Select(x => j < pad ? PadValue : (float)x))).ToArray();
            var l = logits.SelectMany((row, j) => row.Select(x => j < pad ? PadValue : (float)x)).ToArray();
            tensors[$"input_ids.{i}"] = tensor(ids.Select(x => (long)x).ToArray());
            tensors[$"attention_mask.{i}"] = tensor(mask.Select(x => (long)x).ToArray());
            tensors[$"hidden_states.{i}"] = tensor(h, [n + 1, t, d]);
            tensors[$"logits.{i}"] = tensor(l, [t, v]);
        }
        tamper?.Invoke(tensors);
        var path = Path.Combine(_dir, name + ".safetensors");
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    private string SavedModel(GptNeoXForCausalLM model)
    {
        var folder = Path.Combine(_dir, "model");
        if (!Directory.Exists(folder)) model.Save(folder);
        return folder;
    }

    private CliProcess.Result Verify(string folder, string golden) =>
        CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", golden, "--tolerance", "1e-4");

    [Fact]
    public void Verify_backbone_accepts_a_left_padded_golden_batch_of_the_reference_forward()
    {
        using var model = Model();
        var ok = Verify(SavedModel(model), WriteGolden(model, "golden"));
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("OK: within", ok.Output);
        Assert.Contains("prompt 2: 3 of 8 tokens real", ok.Output);
    }

    [Fact]
    public void Verify_backbone_compares_every_state_including_the_final_norm_and_the_logits()
    {
        using var model = Model();
        var folder = SavedModel(model);
        // 0.01 added at one real token: of the last hidden state (after final_layer_norm), of layer 1's input, of a logit.
        var lastState = Verify(folder, WriteGolden(model, "last-state", g => g["hidden_states.1"][model.Config.NumLayers, 5, 3] += 0.01f));
        Assert.True(lastState.ExitCode == 3, lastState.Output);
        Assert.Contains($"(hidden_states[{model.Config.NumLayers}])", lastState.Output);
        var middle = Verify(folder, WriteGolden(model, "middle", g => g["hidden_states.2"][1, 7, 0] += 0.01f));
        Assert.True(middle.ExitCode == 3, middle.Output);
        var logit = Verify(folder, WriteGolden(model, "logit", g => g["logits.0"][6, 11] += 0.01f));
        Assert.True(logit.ExitCode == 3, logit.Output);
        Assert.Contains("MISMATCH", logit.Output);
    }

    [Fact]
    public void Verify_backbone_exits_1_on_bad_input()
    {
        using var model = Model();
        var folder = SavedModel(model);
        var noMask = Verify(folder, WriteGolden(model, "no-mask", g => g.Remove("attention_mask.1")));
        Assert.Equal(1, noMask.ExitCode);
        Assert.Contains("missing tensor 'attention_mask.1'", noMask.Output);
        var wrongLayers = Verify(folder, WriteGolden(model, "layers", g => g["hidden_states.0"] = g["hidden_states.0"][..2]));
        Assert.Equal(1, wrongLayers.ExitCode);
        Assert.Contains("hidden_states.0 has shape [2, 8, 32]", wrongLayers.Output);
        var unknown = Path.Combine(_dir, "falcon");
        Directory.CreateDirectory(unknown);
        File.WriteAllText(Path.Combine(unknown, "config.json"), """{"model_type": "falcon", "architectures": ["FalconForCausalLM"]}""");
        var family = Verify(unknown, WriteGolden(model, "any"));
        Assert.Equal(1, family.ExitCode);
        Assert.Contains("known: gpt_neox (GPTNeoXForCausalLM); ", family.Output);
        Assert.Contains("llama (LlamaForCausalLM); mistral (MistralForCausalLM); qwen2 (Qwen2ForCausalLM); gptj (GPTJForCausalLM)", family.Output);
        var missing = Verify(folder, Path.Combine(_dir, "absent.safetensors"));
        Assert.Equal(1, missing.ExitCode);
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

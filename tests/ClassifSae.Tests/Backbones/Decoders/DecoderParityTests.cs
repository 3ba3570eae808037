using ClassifSae.Backbones;
using ClassifSae.Backbones.Decoders;
using ClassifSae.Backbones.Llama;
using ClassifSae.Formats;
using ClassifSae.Tests.Cli;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>
/// Our TorchSharp Llama / Mistral / Qwen2 / GPT-J forwards against the independent double-precision references, on tiny
/// random configs with every weight random: a left-padded batch (rows of 8, 5 and 3 real tokens), GQA + llama3 scaling,
/// a Mistral window (3) shorter than the input, the decision/tail pair, and verify-backbone on golden files through the registry.
/// </summary>
public sealed class DecoderParityTests(ITestOutputHelper output) : IDisposable
{
    public static readonly TheoryData<string> Families = new() { "llama", "mistral", "qwen2", "gptj" };

    // Left-padded with pad id 0; every row ends with the "label" token.
    private static readonly int[][] Rows = [[1, 17, 4, 9, 22, 8, 40, 30], [1, 5, 33, 2, 7], [1, 6, 28]];
    private const float PadValue = 1e6f; // what a model computes at padding is arbitrary: nothing may look at it
    private const double Tolerance = 1e-4;

    private readonly string _dir = Directory.CreateTempSubdirectory("decoder-parity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int[] Ids, int[] Mask) PaddedRow(int row)
    {
        var t = Rows.Max(r => r.Length);
        var pad = t - Rows[row].Length;
        return (Enumerable.Repeat(0, pad).Concat(Rows[row]).ToArray(), Enumerable.Range(0, t).Select(j => j < pad ? 0 : 1).ToArray());
    }

    private static TokenBatch PaddedBatch(CausalDecoder model)
    {
        var rows = Enumerable.Range(0, Rows.Length).Select(PaddedRow).ToList();
        using var ids = tensor(rows.SelectMany(r => r.Ids).Select(x => (long)x).ToArray(), [rows.Count, rows[0].Ids.Length]);
        using var mask = tensor(rows.SelectMany(r => r.Mask).Select(x => (long)x).ToArray(), [rows.Count, rows[0].Ids.Length]);
        return model.Batch(ids, mask);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Every_hidden_state_and_logit_of_a_left_padded_batch_matches_the_double_reference(string family)
    {
        using var model = TinyDecoders.Create(family);
        var reference = TinyDecoders.Reference(model);
        using var _ = no_grad();
        using var batch = PaddedBatch(model);
        using var outputs = model.Outputs(batch);
        double worstHidden = 0, worstLogit = 0, scale = 0;
        for (var row = 0; row < Rows.Length; row++)
        {
            var (ids, mask) = PaddedRow(row);
            var (states, logits) = reference.HfOutputs(ids, mask);
            for (var j = 0; j < ids.Length; j++)
            {
                if (mask[j] == 0) continue;
                for (var s = 0; s < states.Length; s++)
                {
                    var ours = outputs.HiddenStates[s, row, j].to(ScalarType.Float64).data<double>().ToArray();
                    worstHidden = Math.Max(worstHidden, ours.Zip(states[s][j], (a, b) => Math.Abs(a - b)).Max());
                }
                var ourLogits = outputs.Logits[row, j].to(ScalarType.Float64).data<double>().ToArray();
                worstLogit = Math.Max(worstLogit, ourLogits.Zip(logits[j], (a, b) => Math.Abs(a - b)).Max());
                scale = Math.Max(scale, logits[j].Max(Math.Abs));
            }
        }
        output.WriteLine($"{family}: max |Δ hidden| {worstHidden:E2}, max |Δ logits| {worstLogit:E2} (largest |logit| {scale:F1})");
        Assert.True(worstHidden < Tolerance && worstLogit < Tolerance, $"{family}: hidden {worstHidden:E2}, logits {worstLogit:E2}");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Decision_reads_the_hook_state_at_T_minus_2_and_the_tail_matches_the_reference_tail(string family)
    {
        using var model = TinyDecoders.Create(family);
        var reference = TinyDecoders.Reference(model);
        using var _ = no_grad();
        using var batch = PaddedBatch(model);
        var hook = model.Shape.DecisionHookLayer;
        var (hidden, logits) = model.Decision(batch, hook);
        using (hidden)
        using (logits)
        {
            using var labels = tensor(new long[] { 30, 7, 28, 2 });
            using var tail = model.Tail(hidden, hook, labels);
            double worstState = 0, worstTail = 0;
            for (var row = 0; row < Rows.Length; row++)
            {
                var (ids, mask) = PaddedRow(row);
                var (states, refLogits) = reference.HfOutputs(ids, mask);
                var state = states[hook][ids.Length - 2];
                worstState = Math.Max(worstState, hidden[row].to(ScalarType.Float64).data<double>().ToArray().Zip(state, (a, b) => Math.Abs(a - b)).Max());
                var decisionLogits = logits[row].to(ScalarType.Float64).data<double>().ToArray();
                worstState = Math.Max(worstState, decisionLogits.Zip(refLogits[ids.Length - 2], (a, b) => Math.Abs(a - b)).Max());
                var refTail = reference.Tail(state, hook);
                var ourTail = tail[row].to(ScalarType.Float64).data<double>().ToArray();
                worstTail = Math.Max(worstTail, new[] { 30, 7, 28, 2 }.Select((id, k) => Math.Abs(ourTail[k] - refTail[id])).Max());
            }
            output.WriteLine($"{family}: decision max |Δ| {worstState:E2}, tail max |Δ| {worstTail:E2}");
            Assert.True(worstState < Tolerance && worstTail < Tolerance, $"{family}: decision {worstState:E2}, tail {worstTail:E2}");
        }
    }

    [Fact]
    public void The_mistral_window_bites_on_these_inputs()
    {
        // Without this the window case above would pass with a plain causal mask too.
        using var windowed = TinyDecoders.Create("mistral");
        using var plain = TinyDecoders.Randomised(new LlamaForCausalLM(TinyDecoders.Mistral() with { SlidingWindowRaw = null }), 5);
        using var _ = no_grad();
        using var a = PaddedBatch(windowed);
        using var b = PaddedBatch(plain);
        using var la = windowed.Logits(a);
        using var lb = plain.Logits(b);
        var early = (la[0, ..3] - lb[0, ..3]).abs().max().item<float>();   // first 3 tokens: the window covers all keys
        var late = (la[0, 3..] - lb[0, 3..]).abs().max().item<float>();
        Assert.Equal(0, early, 5);
        Assert.True(late > 0.05, $"window changed later logits by only {late}");
    }

    [Fact]
    public void Llama3_inverse_frequencies_follow_transformers_with_the_original_8192_context()
    {
        // Llama-3.1-8B's config: head 128, theta 500000, llama3 factor 8 / low 1 / high 4 / original 8192.
        var cfg = new LlamaConfig
        {
            VocabSize = 10, HiddenSize = 4096, NumHeads = 32, IntermediateSize = 1, NumLayers = 1, RopeTheta = 500000,
            RopeScaling = new RopeScaling { RopeType = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositions = 8192 },
        };
        using var ours = LlamaRotary.InverseFrequencies(cfg);
        var got = ours.to(ScalarType.Float64).data<double>().ToArray();
        var expected = ReferenceLlama.InverseFrequencies(cfg);
        var worst = got.Zip(expected, (a, b) => Math.Abs(a - b) / b).Max();
        output.WriteLine($"llama3 inv_freq: max relative diff to double {worst:E2}");
        Assert.True(worst < 1e-6, $"relative diff {worst}");
        Assert.Equal(3.21e-3, got[28], 5);                       // spec 04 §3.7.2: HF 3.21e-3 (TransformerLens 2.9: 4.45e-4)
        var plain = 1.0 / Math.Pow(500000, 126.0 / 128);
        Assert.Equal(plain / 8, got[63], 12);                    // lowest frequency: divided by the factor
        Assert.Equal(1.0, got[0], 6);                            // highest: kept
        // The tiny config's 8 frequencies hit every regime, so the parity tests above exercise all three branches.
        var tiny = TinyDecoders.Llama();
        var unscaled = ReferenceLlama.InverseFrequencies(tiny with { RopeScaling = null });
        var scaled = ReferenceLlama.InverseFrequencies(tiny);
        var ratios = scaled.Zip(unscaled, (s, u) => s / u).ToArray();
        Assert.Contains(ratios, r => Math.Abs(r - 1) < 1e-12);
        Assert.Contains(ratios, r => Math.Abs(r - 0.125) < 1e-12);
        Assert.Contains(ratios, r => r > 0.13 && r < 0.99);
    }

    private string WriteGolden(CausalDecoder model, string name, Action<Dictionary<string, Tensor>>? tamper = null)
    {
        var (n, d, v) = (model.Shape.NumLayers, model.Shape.HiddenSize, model.Shape.VocabSize);
        var reference = TinyDecoders.Reference(model);
        var tensors = new Dictionary<string, Tensor>();
        for (var i = 0; i < Rows.Length; i++)
        {
            var (ids, mask) = PaddedRow(i);
            var t = ids.Length;
            var (states, logits) = reference.HfOutputs(ids, mask);
            tensors[$"input_ids.{i}"] = tensor(ids.Select(x => (long)x).ToArray());
            tensors[$"attention_mask.{i}"] = tensor(mask.Select(x => (long)x).ToArray());
            tensors[$"hidden_states.{i}"] = tensor(states.SelectMany(s => s.SelectMany((row, j) => row.Select(x => mask[j] == 0 ? PadValue : (float)x))).ToArray(), [n + 1, t, d]);
            tensors[$"logits.{i}"] = tensor(logits.SelectMany((row, j) => row.Select(x => mask[j] == 0 ? PadValue : (float)x)).ToArray(), [t, v]);
        }
        tamper?.Invoke(tensors);
        var path = Path.Combine(_dir, name + ".safetensors");
        SafetensorsFile.Write(path, tensors);
        return path;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Verify_backbone_loads_the_saved_family_through_the_registry_and_passes_its_golden_batch(string family)
    {
        using var model = TinyDecoders.Create(family);
        var folder = Path.Combine(_dir, family);
        model.Save(folder);
        var ok = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", WriteGolden(model, "golden"), "--tolerance", "1e-4");
        output.WriteLine(ok.Output);
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains($"OK: within 1.0E-004 ({family}, 3 prompts)", ok.Output);
        Assert.Contains("prompt 2: 3 of 8 tokens real", ok.Output);
        // One logit off by 0.01 at a real token is caught.
        var bad = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", WriteGolden(model, "bad", g => g["logits.1"][6, 11] += 0.01f), "--tolerance", "1e-4");
        Assert.True(bad.ExitCode == 3, bad.Output);
    }
}

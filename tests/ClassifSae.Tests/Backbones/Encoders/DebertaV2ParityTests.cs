using ClassifSae.Backbones;
using ClassifSae.Backbones.DebertaV2;
using ClassifSae.Backbones.Registry;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Tests.Cli;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>Our DebertaV2ForSequenceClassification against the independent double-precision reference, and verify-backbone on it.</summary>
public sealed class DebertaV2ParityTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("deberta-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DebertaV2Config Config(string variant) => variant == "v3" ? TinyDebertaV2.V3 : TinyDebertaV2.V2;

    [Theory]
    [InlineData("v3")]
    [InlineData("v2")]
    public void Hidden_states_and_logits_of_a_right_padded_batch_match_the_reference(string variant)
    {
        using var model = TinyDebertaV2.Create(Config(variant));
        var reference = new ReferenceDebertaV2(model);
        var (hidden, logits) = EncoderParity.MaxDiff(model, TinyDebertaV2.Rows, model.Config.PadTokenId, reference.Forward);
        output.WriteLine($"deberta-v2 ({variant}): max |Δ hidden| {hidden:E2}, max |Δ logits| {logits:E2}");
        Assert.True(hidden < 1e-5 && logits < 1e-5, $"max |Δ hidden| {hidden:E2}, max |Δ logits| {logits:E2}");
    }

    [Fact]
    public void Relative_positions_use_transformers_log_buckets()
    {
        int[] deltas = [0, 5, -128, 128, 129, -129, 200, 300, -300, 511, 600, 1000];
        // transformers' make_log_bucket_position(δ, 256, 512) (torch 1.13, float32), the deberta-v3 setting.
        int[] expected = [0, 5, -128, 128, 129, -129, 169, 207, -207, 255, 270, 317];
        using var table = RelativePositions.Build(1001, 1001, 256, 512, CPU);
        Assert.Equal(expected, deltas.Select(d => d >= 0 ? (int)table[d, 0].item<long>() : (int)table[0, -d].item<long>()).ToArray());
        Assert.Equal(expected, deltas.Select(d => ReferenceDebertaV2.Bucket(d, 256, 512)).ToArray());
        using var small = RelativePositions.Build(1, 17, 4, 8, CPU);
        // δ = 0 − j for j = 0…16, i.e. −0 … −16: the tiny test config's buckets.
        Assert.Equal([0L, -1, -2, -3, -3, -3, -3, -3, -4, -4, -4, -4, -4, -4, -4, -4, -4], small[0].data<long>().ToArray());
    }

    [Fact]
    public void Pads_are_zero_after_the_embeddings_and_do_not_change_real_rows()
    {
        using var model = TinyDebertaV2.Create(TinyDebertaV2.V3);
        using var _ = no_grad();
        using var batch = model.Batch(TinyDebertaV2.Rows, model.Config.PadTokenId, null, CPU);
        using var outputs = model.Outputs(batch);
        Assert.Equal(0f, outputs.HiddenStates[0, 2, 3..].abs().max().item<float>());
        using var alone = model.Batch([TinyDebertaV2.Rows[2]], model.Config.PadTokenId, null, CPU);
        using var single = model.Outputs(alone);
        var diff = (single.HiddenStates[.., 0] - outputs.HiddenStates[.., 2, ..3]).abs().max().item<float>();
        Assert.True(diff < 1e-5, $"alone vs padded: {diff:E2}");
    }

    [Fact]
    public void Decision_reads_cls_or_the_mean_and_the_tail_is_pooler_plus_classifier()
    {
        using var model = TinyDebertaV2.Create(TinyDebertaV2.V3);
        var reference = new ReferenceDebertaV2(model);
        using var _ = no_grad();
        using var batch = model.Batch(TinyDebertaV2.Rows, model.Config.PadTokenId, null, CPU);
        var padded = EncoderParity.Padded(TinyDebertaV2.Rows, model.Config.PadTokenId);
        var (hidden, logits) = model.Decision(batch, hookLayer: 2);
        using (hidden)
        using (logits)
        using (var tail = model.Tail(hidden, fromLayer: 2))
        {
            Assert.True(tail.allclose(logits, rtol: 0, atol: 1e-6));
            for (var b = 0; b < TinyDebertaV2.Rows.Length; b++)
            {
                var (states, refLogits) = reference.Forward(padded[b].Ids, padded[b].Mask);
                AssertClose(states[2][0], hidden[b], 1e-5);
                AssertClose(reference.Head(states[2][0]), logits[b], 1e-5);
                AssertClose(refLogits, logits[b], 1e-5);
            }
        }
        model.HookPooling = EncoderHookPooling.Mean;
        var (mean, l) = model.Decision(batch, hookLayer: 1);
        l.Dispose();
        using (mean)
            for (var b = 0; b < TinyDebertaV2.Rows.Length; b++)
            {
                var states = reference.Forward(padded[b].Ids, padded[b].Mask).States[1];
                var real = TinyDebertaV2.Rows[b].Length;
                AssertClose(Enumerable.Range(0, 32).Select(j => states.Take(real).Average(r => r[j])).ToArray(), mean[b], 1e-5);
            }
    }

    [Fact]
    public void Fine_tuning_loss_is_the_cross_entropy_of_the_head_and_training_lowers_it()
    {
        using var model = TinyDebertaV2.Create(TinyDebertaV2.V3);
        var reference = new ReferenceDebertaV2(model);
        var padded = EncoderParity.Padded(TinyDebertaV2.Rows, model.Config.PadTokenId);
        int[] labels = [2, 0, 1];
        var expected = Enumerable.Range(0, 3).Average(b =>
        {
            var z = reference.Forward(padded[b].Ids, padded[b].Mask).Logits;
            var max = z.Max();
            return Math.Log(z.Sum(v => Math.Exp(v - max))) + max - z[labels[b]];
        });
        using var batch = model.Batch(TinyDebertaV2.Rows, model.Config.PadTokenId, null, CPU);
        using var target = tensor(labels.Select(x => (long)x).ToArray());
        float before;
        using (no_grad())
        using (var loss = model.FineTuneLoss(batch, target)) before = loss.item<float>();
        Assert.Equal(expected, before, 1e-5);
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        for (var step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            using var loss = model.FineTuneLoss(batch, target);
            loss.backward();
            optimizer.step();
        }
        using (no_grad())
        using (var after = model.FineTuneLoss(batch, target))
            Assert.True(after.item<float>() < before * 0.5, $"loss {before} → {after.item<float>()}");
    }

    [Fact]
    public void Config_reads_pos_att_type_as_the_hub_and_transformers_write_it()
    {
        var folder = Path.Combine(_dir, "cfg");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "config.json");
        File.WriteAllText(path, """{"model_type": "deberta-v2", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16, "pos_att_type": "p2c|c2p"}""");
        Assert.Equal(["p2c", "c2p"], DebertaV2Config.Load(path).PosAttType);
        File.WriteAllText(path, """{"model_type": "deberta-v2", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16, "pos_att_type": ["c2p"], "conv_kernel_size": 3}""");
        var e = Assert.Throws<InvalidDataException>(() => DebertaV2Config.Load(path));
        Assert.Contains("config.json: conv_kernel_size > 0", e.Message);
    }

    [Theory]
    [InlineData("v3")]
    [InlineData("v2")]
    public void A_saved_classifier_loads_through_the_registry_and_passes_verify_backbone(string variant)
    {
        using var model = TinyDebertaV2.Create(Config(variant));
        var folder = Path.Combine(_dir, "model");
        model.Save(folder);
        Assert.Equal(new BackboneShape("deberta-v2", 40, 32, 2, 2, "blocks.2.hook_resid_pre"), BackboneRegistry.Shape(folder));
        var reference = new ReferenceDebertaV2(model);
        var golden = EncoderParity.WriteGolden(Path.Combine(_dir, "golden.safetensors"), TinyDebertaV2.Rows, 0, reference.Forward);
        var ok = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", golden, "--tolerance", "1e-5");
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("OK: within 1.0E-005 (deberta-v2, 3 prompts)", ok.Output);
        var bad = EncoderParity.WriteGolden(Path.Combine(_dir, "bad.safetensors"), TinyDebertaV2.Rows, 0, reference.Forward,
            g => g["hidden_states.0"][1, 8, 4] += 0.01f);
        var mismatch = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", bad, "--tolerance", "1e-5");
        Assert.True(mismatch.ExitCode == 3, mismatch.Output);
        Assert.Contains("(hidden_states[1])", mismatch.Output);
    }

    private static void AssertClose(double[] expected, Tensor actual, double tolerance)
    {
        var got = actual.to(ScalarType.Float64).data<double>().ToArray();
        var diff = expected.Zip(got, (u, v) => Math.Abs(u - v)).Max();
        Assert.True(diff < tolerance, $"max |diff| {diff:E2}");
    }
}

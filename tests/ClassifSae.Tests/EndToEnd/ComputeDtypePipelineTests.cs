using ClassifSae.Backbones.Llama;
using ClassifSae.Caching;
using ClassifSae.Concepts.Sae;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Results;
using ClassifSae.Runtime;
using ClassifSae.Tests.Backbones.Decoders;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>
/// <c>models.&lt;m&gt;.compute_dtype</c>: one fine-tuned tiny Llama cached in float32 and in bfloat16. The bfloat16 states
/// differ from the float32 ones by bfloat16 rounding (not 0: the forward really ran in bfloat16), are stored as float32,
/// FineTune is shared (its identity ignores the key), and the run's dtype in the store says bfloat16; Evaluate runs its
/// tails in bfloat16 and gives finite metrics.
/// </summary>
[Collection(ClassifSae.Tests.Backbones.Decoders.DefaultDtypeCollection.Name)]
public sealed class ComputeDtypePipelineTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("compute-dtype-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RunContext Context(string folder, string? computeDtype)
    {
        var smoke = ProfileLoader.Load("smoke", RepoPaths.Profiles);
        var profile = smoke.With(smoke.Settings<ClassifSaeSettings>() with { Steps = 40, BatchSize = 64 }) with
        {
            Models = new() { ["tiny-llama"] = new ModelSpec { Source = "hf", Path = folder, ComputeDtype = computeDtype } },
            Datasets = new() { ["planted"] = smoke.Datasets.Values.Single() with { TrainSize = 96, TestSize = 48 } },
            FineTune = smoke.FineTune with { PretrainSteps = 0, Steps = 8, BatchSize = 8, MaxLength = 96, WarmupSteps = 1 },
            Cache = smoke.Cache with { BatchSize = 32 },
            Methods = ["classifsae"],
        };
        return new RunContext
        {
            Profile = profile, RunsDir = Path.Combine(_dir, "runs"), StorePath = Path.Combine(_dir, "results.duckdb"),
            Device = CPU, DeviceName = "cpu", Threads = TorchRuntime.ConfigureThreads(0),
        };
    }

    [Fact]
    public void A_bfloat16_cache_differs_from_float32_by_rounding_only_and_the_run_records_bfloat16()
    {
        var folder = Path.Combine(_dir, "tiny-llama");
        var config = TinyDecoders.Llama() with { VocabSize = 258, HiddenSize = 64, IntermediateSize = 128, NumLayers = 2, BosTokenId = 257 };
        using (var model = LlamaForCausalLM.Random(config, seed: 3, std: 0.1)) model.Save(folder);
        TinyLlamaPipelineTests.WriteTokenizer(folder);

        var fp32 = Context(folder, computeDtype: null);
        var key = fp32.Keys().Single();
        PipelineRunner.Run(fp32, StageNames.Cache);
        var testCache = CacheStage.SplitDir(fp32.StageDir(StageNames.Cache, key), "test");
        using var reference = ActivationShards.Read(testCache);

        var bf16 = Context(folder, computeDtype: "bfloat16");
        var completions = new List<StageCompletion>();
        PipelineRunner.Run(bf16, StageNames.Evaluate, observe: c => { lock (completions) completions.Add(c); });
        Assert.True(completions.Single(c => c.Manifest.Stage == StageNames.FineTune).Skipped, "FineTune ran again for a compute dtype it does not use");
        Assert.False(completions.Single(c => c.Manifest.Stage == StageNames.Cache).Skipped);
        Assert.Equal("bfloat16", completions.Single(c => c.Manifest.Stage == StageNames.Cache).Manifest.Provenance.Dtype);
        Assert.Equal("bfloat16", completions.Single(c => c.Manifest.Stage == StageNames.Evaluate).Manifest.Provenance.Dtype);
        Assert.Equal("float32", completions.Single(c => c.Manifest.Stage == StageNames.Train).Manifest.Provenance.Dtype);

        using var half = ActivationShards.Read(testCache);
        Assert.Equal(ScalarType.Float32, half.Hidden.dtype);
        Assert.Equal(ScalarType.Float32, half.LabelLogits!.dtype);
        var scale = reference.Hidden.abs().max().item<float>();
        var hiddenDiff = (half.Hidden - reference.Hidden).abs().max().item<float>();
        var logitScale = reference.LabelLogits!.abs().max().item<float>();
        var logitDiff = (half.LabelLogits - reference.LabelLogits).abs().max().item<float>();
        output.WriteLine($"hook states: max |h| {scale:E3}, max |Δ| bf16 vs fp32 {hiddenDiff:E3} ({hiddenDiff / scale:E2} of max); " +
                         $"label logits: max {logitScale:E3}, max |Δ| {logitDiff:E3}");
        // bfloat16 keeps 8 significant bits (relative rounding 2^-9); two blocks of rounded weights and activations stay
        // within a few percent of the largest value, and the difference is not 0.
        Assert.True(hiddenDiff > 0, "bfloat16 and float32 caches are identical: the bfloat16 forward did not run");
        Assert.True(hiddenDiff <= 0.03 * scale, $"max |Δh| {hiddenDiff:E3} over 3 % of max |h| {scale:E3}");
        Assert.True(logitDiff > 0 && logitDiff <= 0.03 * logitScale + 0.02, $"max |Δ logits| {logitDiff:E3} (max {logitScale:E3})");

        var metrics = completions.SelectMany(c => c.Metrics).ToList();
        Assert.Contains(metrics, m => m.Method == "classifsae" && m.Metric == "recovery_accuracy" && m.Value is >= 0 and <= 1);
        Assert.All(metrics, m => Assert.True(double.IsFinite(m.Value), $"{m.Metric}: {m.Value}"));
        using var store = ResultsStore.Open(bf16.StorePath);
        var dtype = store.Query($"SELECT dtype FROM runs WHERE run_id = '{bf16.For(key).RunId(key)}'");
        Assert.Equal("bfloat16", dtype.Rows.Single()[0]);
        var fp32Run = store.Query($"SELECT dtype FROM runs WHERE run_id = '{fp32.For(key).RunId(key)}'");
        Assert.Equal("float32", fp32Run.Rows.Single()[0]);
    }

    [Fact]
    public void An_unknown_compute_dtype_is_a_one_line_error_naming_the_key()
    {
        var ctx = Context(Path.Combine(_dir, "absent"), computeDtype: "int8");
        var profiles = Directory.CreateDirectory(Path.Combine(_dir, "profiles")).FullName;
        File.WriteAllText(Path.Combine(profiles, "bad.json"), System.Text.Json.JsonSerializer.Serialize(ctx.Profile with { Name = "bad" }, Profile.JsonOptions));
        var e = Assert.Throws<UserError>(() => ProfileLoader.Load("bad", profiles));
        output.WriteLine(e.Message);
        Assert.Contains("compute_dtype", e.Message);
        Assert.Contains("tiny-llama", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}

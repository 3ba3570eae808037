using System.Text.Json.Nodes;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Pipeline.TensorBoard;
using ClassifSae.Tests.Pipeline.TensorBoard;
using ClassifSae.Tests.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Pipeline;

/// <summary>
/// A real, tiny run of FineTune → Cache → Train (ClassifSAE, SAE, ConceptSHAP, HI-Concept) → Evaluate, once for the class:
/// the TensorBoard event files each training loop writes hold, step by step, the values of the curve the loop stored;
/// Evaluate announces each of its long steps as its own named progress task; the SAE's bar shows its current record.
/// </summary>
public sealed class TinyPipelineObservabilityTests : IClassFixture<TinyPipelineObservabilityTests.Run>
{
    private static readonly string[] Methods = ["classifsae", "sae", "conceptshap", "hiconcept"];
    private readonly Run _run;

    public TinyPipelineObservabilityTests(Run run) => _run = run;

    public sealed class Run : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("tiny-observe-").FullName;
        public RecordingProgress Progress { get; } = new();
        public List<string> Logs { get; } = [];
        public RunContext Context { get; }
        public PipelineKey Key { get; } = new("m", "d");

        public Run()
        {
            var profile = ProfileLoader.Parse("""
                {
                  "name": "tiny", "seed": 7, "threads": 1,
                  "models": { "m": { "source": "scratch", "hidden_size": 16, "num_layers": 2, "num_heads": 2, "intermediate_size": 32,
                                     "rotary_pct": 0.25, "max_positions": 64 } },
                  "datasets": { "d": { "source": "planted", "classes": 2, "sub_topics_per_class": 2, "train_size": 160, "test_size": 40,
                                       "tokenizer": "cl100k_base", "space_before_final_newline": true } },
                  "fine_tune": { "pretrain_steps": 20, "pretrain_batch_size": 8, "steps": 30, "batch_size": 8, "warmup_steps": 2,
                                 "max_length": 64, "eval_batch_size": 32 },
                  "cache": { "rows_per_shard": 100, "batch_size": 32 },
                  "methods": ["classifsae", "sae", "conceptshap", "hiconcept"],
                  "classif_sae": { "expansion_factor": 2, "k": 4, "n_concepts": 4, "steps": 60, "batch_size": 32 },
                  "sae": { "n_concepts": 4, "logistic_folds": 2, "logistic_cs": [0.1, 1] },
                  "concept_shap": { "n_concepts": 4, "hidden_dim": 8, "top_k": 8, "batch_size": 32, "epochs": 3, "regularizer_epoch": 1 },
                  "hi_concept": { "n_concepts": 4, "hidden_dim": 8, "batch_size": 32, "epochs": 3 },
                  "evaluate": { "batch_size": 64, "top_sentences": 3 }
                }
                """, "tiny.json");
            Context = new RunContext
            {
                Profile = profile, RunsDir = Path.Combine(Root, "runs"), StorePath = Path.Combine(Root, "results.duckdb"),
                Device = CPU, DeviceName = "cpu", Threads = 1, Progress = Progress, Log = line => { lock (Logs) Logs.Add(line); },
            };
            PipelineRunner.Run(Context, StageNames.Evaluate);
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    [Fact]
    public void Fine_tuning_events_equal_the_stored_curves_step_by_step()
    {
        var folder = _run.Context.StageDir(StageNames.FineTune, _run.Key);
        var curves = JsonNode.Parse(File.ReadAllText(new FineTuneArtifacts(folder).CurvesFile))!;
        var scalars = EventFileReader.Scalars(EventFileReader.SingleFile(TensorBoardLog.RunFolder(folder, FineTuneStage.TensorBoardRun)));
        foreach (var phase in new[] { "pretrain", "finetune" })
        {
            var points = curves[phase]!.AsArray().Select(p => ((long)p!["step"]!.GetValue<int>(), p["loss"]!.GetValue<double>(), p["lr"]!.GetValue<double>())).ToList();
            Assert.Equal(phase == "pretrain" ? 2 : 3, points.Count);   // every 10th step of 20 and 30
            Assert.Equal(points.Select(p => (p.Item1, (float)p.Item2)), scalars[$"{phase}/loss"]);
            Assert.Equal(points.Select(p => (p.Item1, (float)p.Item3)), scalars[$"{phase}/learning_rate"]);
        }
    }

    [Theory]
    [InlineData("classifsae", "step", "total", "loss/total")]
    [InlineData("classifsae", "step", "mse", "loss/mse")]
    [InlineData("classifsae", "step", "concept_activation_rate", "concept_firing_rate")]
    [InlineData("classifsae", "step", "explained_variance", "explained_variance")]
    [InlineData("sae", "step", "total", "loss/total")]
    [InlineData("sae", "step", "mean_l0", "mean_l0")]
    [InlineData("conceptshap", "epoch", "total", "loss/total")]
    [InlineData("conceptshap", "epoch", "completeness", "completeness")]
    [InlineData("hiconcept", "epoch", "flip", "loss/flip")]
    [InlineData("hiconcept", "epoch", "total", "loss/total")]
    public void Each_methods_events_equal_its_training_curve_step_by_step(string method, string x, string field, string tag)
    {
        var train = _run.Context.StageDir(StageNames.Train, _run.Key);
        var curve = JsonNode.Parse(File.ReadAllText(Path.Combine(TrainStage.MethodDir(train, method), "training_curve.json")))!.AsArray();
        var expected = curve.Select(r => ((long)r![x]!.GetValue<int>(), (float)r[field]!.GetValue<double>())).ToList();
        Assert.True(expected.Count >= 3, $"{method}: {expected.Count} curve records");
        var scalars = EventFileReader.Scalars(EventFileReader.SingleFile(TensorBoardLog.RunFolder(train, method)));
        Assert.Equal(expected, scalars[tag]);
    }

    [Fact]
    public void The_tensorboard_runs_moved_into_the_finished_stage_folders_with_nothing_left_beside_them()
    {
        var train = _run.Context.StageDir(StageNames.Train, _run.Key);
        Assert.Equal(Methods.Order(), Directory.GetDirectories(Path.Combine(train, TensorBoardLog.Folder)).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(train)!, "*.tmp-*"));
        Assert.True(StageManifest.TryLoad(train)!.OutputsIntact(train));
    }

    [Fact]
    public void The_sae_bar_shows_the_figures_of_the_step_it_advances_to()
    {
        var train = _run.Context.StageDir(StageNames.Train, _run.Key);
        var curve = JsonNode.Parse(File.ReadAllText(Path.Combine(TrainStage.MethodDir(train, "sae"), "training_curve.json")))!.AsArray();
        var step50 = curve.Single(r => r!["step"]!.GetValue<int>() == 50)!;
        var bar = _run.Progress.Tasks.Single(t => t.Description.StartsWith("train SAE"));
        var status = bar.Advances.Single(a => a.Done == 50).Status;
        Assert.StartsWith($"loss {step50["total"]!.GetValue<double>():F4} mse {step50["mse"]!.GetValue<double>():F4} " +
                          $"expl.var {step50["explained_variance"]!.GetValue<double>():F3} L0 {step50["mean_l0"]!.GetValue<double>():F1}", status);
        Assert.DoesNotContain("acc", status);   // the plain SAE has no trained head
    }

    [Fact]
    public void Evaluate_reports_each_long_step_of_each_method_as_a_named_task()
    {
        var tasks = _run.Progress.Tasks.Select(t => t.Description).ToList();
        var first = tasks.IndexOf("evaluate: sentence embeddings of the test split");
        Assert.True(first >= 0, string.Join("\n", tasks));
        var evaluate = tasks.Skip(first).ToList();
        var expected = new List<string> { "evaluate: sentence embeddings of the test split" };
        foreach (var m in Methods)
        {
            expected.Add($"evaluate {m}: loading the trained concepts");
            expected.Add($"evaluate {m}: concept activations and selection");
            expected.Add($"evaluate {m}: reconstruction through the last block");
            expected.Add($"evaluate {m}: causality: ablating each class's concepts by share");
            expected.Add($"evaluate {m}: causality: ablating each concept where it is active");
            if (m is "classifsae" or "sae") expected.Add($"evaluate {m}: PCA of the concept directions");
            expected.Add($"evaluate {m}: interpretability (ConceptSim over {SentenceEncoderName()} embeddings)");
            expected.Add($"evaluate {m}: top sentences per concept");
        }
        // The sentence encoder's own bars (fitting, encoding) run inside the first step.
        Assert.Equal(expected, evaluate.Where(d => d.StartsWith("evaluate")).ToList());
        foreach (var t in _run.Progress.Tasks.Skip(first).Where(t => t.Description.StartsWith("evaluate")))
        {
            Assert.True(t.Disposed, t.Description);
            Assert.Equal(t.Total, t.Done);
        }
        // 2 classes x 4 shares (25/50/75/100 %) of ablation passes per method.
        Assert.Equal(8, _run.Progress.Tasks.First(t => t.Description == "evaluate sae: causality: ablating each class's concepts by share").Total);
    }

    [Fact]
    public void Training_and_evaluate_logs_name_the_two_different_activation_rates()
    {
        var trained = _run.Logs.Single(l => l.StartsWith("ClassifSAE trained:"));
        Assert.Matches(@", concept firing rate \(train batch, mean over concept features\) \d\.\d{3}$", trained);
        var evaluated = _run.Logs.Single(l => l.StartsWith($"{_run.Key} classifsae:"));
        Assert.Matches(@"activation rate \(share of test sentences, mean over selected concepts\) \d+\.\d %", evaluated);
        Assert.DoesNotContain(" rate 0.", trained.Replace("features) 0.", ""));   // no bare "rate 0.125"
    }

    [Fact]
    public void A_method_that_train_reuses_keeps_the_events_of_the_training_that_made_it()
    {
        var copy = Path.Combine(_run.Root, "rerun");
        CopyDirectory(_run.Context.RunsDir, copy);
        var logs = new List<string>();
        // Another method list changes Train's identity, so the stage runs again; both methods are unchanged and reused.
        var ctx = _run.Context with { RunsDir = copy, Methods = ["classifsae", "sae"], Progress = ClassifSae.Runtime.SilentProgress.Instance, Log = logs.Add };
        PipelineRunner.RunStages(ctx, [StageNames.Train]);
        Assert.Equal(2, logs.Count(l => l.Contains("unchanged, reused from the previous Train output")));
        var (before, after) = (_run.Context.StageDir(StageNames.Train, _run.Key), ctx.StageDir(StageNames.Train, _run.Key));
        Assert.Equal(["classifsae", "sae"], Directory.GetDirectories(Path.Combine(after, TensorBoardLog.Folder)).Select(Path.GetFileName).Order());
        foreach (var m in new[] { "classifsae", "sae" })
            Assert.Equal(File.ReadAllBytes(EventFileReader.SingleFile(TensorBoardLog.RunFolder(before, m))),
                File.ReadAllBytes(EventFileReader.SingleFile(TensorBoardLog.RunFolder(after, m))));
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)));
    }

    private string SentenceEncoderName() =>
        _run.Progress.Tasks.First(t => t.Description.StartsWith("evaluate classifsae: interpretability")).Description
            .Split("ConceptSim over ")[1].Split(" embeddings")[0];
}

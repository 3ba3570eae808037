using System.Text.Json;
using System.Text.Json.Nodes;
using ClassifSae.Concepts;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Results;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>
/// The shipped smoke profile run end to end: the planted structure must be recovered and the numbers must
/// be reproducible. These are the slowest tests (about a minute of training on two cores).
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed class SmokePipelineTests(SmokeRun run)
{
    /// <summary>ClassifSAE's metrics and the method-free ones (fine-tuning), keyed metric/split.</summary>
    private Dictionary<string, double> Metrics(string? storePath = null, string method = "classifsae")
    {
        using var store = ResultsStore.Open(storePath ?? run.Context.StorePath);
        var r = store.Query("SELECT metric || '/' || split, value FROM latest_metrics WHERE method IS NULL OR method = $m",
            new Dictionary<string, object?> { ["m"] = method });
        return r.Rows.ToDictionary(row => (string)row[0]!, row => Convert.ToDouble(row[1]));
    }

    /// <summary>Every stored metric, keyed method/metric/split.</summary>
    private Dictionary<string, double> AllMetrics(string? storePath = null)
    {
        using var store = ResultsStore.Open(storePath ?? run.Context.StorePath);
        var r = store.Query("SELECT coalesce(method, '-') || '/' || metric || '/' || split, value FROM latest_metrics");
        return r.Rows.ToDictionary(row => (string)row[0]!, row => Convert.ToDouble(row[1]));
    }

    [Fact]
    public void All_four_methods_train_reload_and_are_evaluated_into_the_store()
    {
        var m = AllMetrics();
        var trainDir = run.Context.StageDir(StageNames.Train, run.Key);
        foreach (var key in ConceptMethods.Keys)
        {
            var folder = TrainStage.MethodDir(trainDir, key);
            var file = MethodFile.TryLoad(folder);
            Assert.NotNull(file);
            Assert.Equal(key, file.Method);
            using var loaded = ConceptMethods.Get(key).Load(folder);
            Assert.Equal(key, loaded.Key);
            var results = EvaluateStage.ResultsDir(run.Context.StageDir(StageNames.Evaluate, run.Key), key, loaded.NConcepts);
            Assert.True(File.Exists(Path.Combine(results, "metrics.json")), $"{key}: no metrics.json in {results}");
            Assert.True(m.ContainsKey($"{key}/recovery_accuracy/test"), $"{key}: no recovery accuracy in the store");
            Assert.True(m[$"{key}/n_selected_features/test"] >= 1, $"{key}: no live concept");
        }
        // ICA with every component kept is the projection on the top principal subspace: it recovers the decisions well.
        Assert.True(m["ica/recovery_accuracy/test"] >= 0.8, $"ICA recovery accuracy {m["ica/recovery_accuracy/test"]}");
        Assert.Equal(100, m["ica/avg_activation_rate_pct/test"], 1e-9);
        Assert.True(m.ContainsKey("sae/probe_cv_accuracy/test"), "the SAE probe's diagnostics are missing");
        Assert.True(m.ContainsKey("conceptshap/conceptshap_completeness/train"), "ConceptSHAP's completeness diagnostic is missing");
    }

    [Fact]
    public void The_report_lists_every_method()
    {
        var md = File.ReadAllText(Path.Combine(ReportStage.OutputDir(run.Context), "summary.md"));
        foreach (var key in ConceptMethods.Keys) Assert.Contains(key, md);
    }

    [Fact]
    public void The_fine_tuned_tiny_model_classifies_the_planted_corpus_far_above_chance()
    {
        var m = Metrics();
        Assert.True(m["llm_accuracy_test/test"] >= 0.9, $"test accuracy {m["llm_accuracy_test/test"]}");
        Assert.True(m["llm_accuracy_train/train"] >= 0.9, $"train accuracy {m["llm_accuracy_train/train"]}");
    }

    [Fact]
    public void The_concept_bottleneck_recovers_the_models_decisions()
    {
        var m = Metrics();
        Assert.True(m["recovery_accuracy/test"] >= 0.9, $"recovery accuracy {m["recovery_accuracy/test"]}");
        Assert.True(m["reconstruction_accuracy/test"] >= 0.85, $"reconstruction accuracy {m["reconstruction_accuracy/test"]}");
        Assert.InRange(m["avg_activation_rate_pct/test"], 1, 50);
        Assert.True(m["max_activation_rate_pct/test"] >= m["avg_activation_rate_pct/test"]);
        Assert.True(m["n_selected_features/test"] >= 8, $"only {m["n_selected_features/test"]} live concepts");
    }

    [Fact]
    public void Concepts_line_up_with_the_planted_sub_topics()
    {
        var folder = EvaluateStage.ResultsDir(run.Context.StageDir(StageNames.Evaluate, run.Key), "classifsae", run.Context.Profile.ClassifSae.NConcepts);
        var concepts = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "interpretability", "top_sentences.json")))!.AsArray();
        var purities = concepts.Select(c => c!["subtopic_purity"]!.GetValue<double>()).ToList();
        // Chance: a concept whose top-10 sentences were drawn at random from one class (3 equal sub-topics)
        // has an expected majority share of about 0.53.
        Assert.True(purities.Average() >= 0.7, $"mean purity {purities.Average():F3}: [{string.Join(", ", purities)}]");
        Assert.All(purities, p => Assert.True(p >= 0.4, $"a concept with purity {p}"));
        // Every concept's top sentences are dominated by one class at least (the segment it was assigned to).
        foreach (var c in concepts)
        {
            var labels = c!["sentences"]!.AsArray().Select(s => s!["label"]!.GetValue<int>()).ToList();
            Assert.True(labels.GroupBy(l => l).Max(g => g.Count()) >= 0.8 * labels.Count, $"concept {c["concept"]}: labels {string.Join(",", labels)}");
        }
    }

    [Fact]
    public void Every_stage_was_recorded_in_the_store_with_its_provenance()
    {
        using var store = ResultsStore.Open(run.Context.StorePath);
        var stages = store.Query("SELECT stage FROM stages ORDER BY started_at").Rows.Select(r => (string)r[0]!).ToList();
        Assert.Equal([StageNames.FineTune, StageNames.Cache, StageNames.Train, StageNames.Evaluate], stages);
        var runRow = store.Query("SELECT seed, device, threads, config_hash, git_commit FROM runs").Rows.Single();
        Assert.Equal(42, Convert.ToInt32(runRow[0]));
        Assert.Equal("cpu", runRow[1]);
        Assert.True(Convert.ToInt32(runRow[2]) >= 1);
        Assert.Equal(64, ((string)runRow[3]!).Length);
        Assert.False(string.IsNullOrEmpty((string?)runRow[4]));
    }

    [Fact]
    public void The_report_shows_the_measured_recovery_accuracy()
    {
        var md = File.ReadAllText(Path.Combine(ReportStage.OutputDir(run.Context), "summary.md"));
        var html = File.ReadAllText(Path.Combine(ReportStage.OutputDir(run.Context), "summary.html"));
        Assert.Contains("recovery_accuracy", md);
        Assert.Contains("<table>", html);
        Assert.Contains("tiny-neox", html);
    }

    [Fact]
    public void The_sae_folder_is_in_the_saelens_layout()
    {
        var dir = Path.Combine(run.Context.StageDir(StageNames.Train, run.Key), TrainStage.MethodFolder);
        var cfg = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "cfg.json")))!;
        Assert.Equal(128, cfg["d_in"]!.GetValue<int>());
        Assert.Equal(256, cfg["d_sae"]!.GetValue<int>());
        Assert.Equal("topk", cfg["architecture"]!.GetValue<string>());
        Assert.Equal(10, cfg["k"]!.GetValue<int>());
        Assert.Equal("blocks.2.hook_resid_pre", cfg["metadata"]!["hook_name"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(dir, "classifier_head.safetensors")));
    }

    [Fact]
    public void Rerunning_skips_every_stage_and_a_fresh_run_with_the_same_seed_gives_the_same_numbers()
    {
        var before = run.Completions.Count;
        run.Run(Path.Combine(run.Root, "a"));
        Assert.All(run.Completions.Skip(before), c => Assert.True(c.Skipped, $"{c.Manifest.Stage} was not skipped"));

        var second = run.Run(Path.Combine(run.Root, "b"));
        var a = AllMetrics();
        var b = AllMetrics(second.StorePath);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (k, v) in a) Assert.True(v.Equals(b[k]), $"{k}: {v} then {b[k]}");
    }

    [Fact]
    public void Causality_is_measured_for_every_method()
    {
        using var store = ResultsStore.Open(run.Context.StorePath);
        var rows = store.Query("SELECT method, metric, value FROM latest_metrics WHERE metric IN ('cond_label_flip_rate', 'cond_tvd', 'global_label_flip_100pct')").Rows;
        foreach (var method in new[] { "classifsae", "sae", "ica", "conceptshap" })
            foreach (var metric in new[] { "cond_label_flip_rate", "cond_tvd", "global_label_flip_100pct" })
            {
                var row = rows.SingleOrDefault(r => (string?)r[0] == method && (string)r[1]! == metric);
                Assert.True(row is not null, $"{method} has no {metric}");
                Assert.InRange(Convert.ToDouble(row![2]), 0, 1);
            }
        // Removing a whole class segment must change decisions more than removing nothing.
        Assert.Contains(rows, r => (string)r[1]! == "global_label_flip_100pct" && Convert.ToDouble(r[2]) > 0);
    }
}

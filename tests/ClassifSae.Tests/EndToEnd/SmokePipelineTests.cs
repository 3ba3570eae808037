using ClassifSae.Concepts.Sae;
using ClassifSae.Concepts.Ica;
using ClassifSae.Concepts.ConceptShap;
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
        var r = store.Query("SELECT metric || coalesce('/class' || class, '') || coalesce('/' || ablation_pct || 'pct', '') || coalesce('/k' || k, '') || '/' || split, value FROM latest_metrics WHERE method IS NULL OR method = $m",
            new Dictionary<string, object?> { ["m"] = method });
        return r.Rows.ToDictionary(row => (string)row[0]!, row => Convert.ToDouble(row[1]));
    }

    /// <summary>Every stored metric, keyed method/metric/split.</summary>
    private Dictionary<string, double> AllMetrics(string? storePath = null) => StoredMetrics.All(storePath ?? run.Context.StorePath);

    [Fact]
    public void All_four_methods_train_reload_and_are_evaluated_into_the_store()
    {
        var m = AllMetrics();
        var trainDir = run.Context.StageDir(StageNames.Train, run.Key);
        foreach (var key in run.Context.SelectedMethods())
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
        foreach (var key in run.Context.SelectedMethods()) Assert.Contains(key, md);
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
        var folder = EvaluateStage.ResultsDir(run.Context.StageDir(StageNames.Evaluate, run.Key), "classifsae", run.Context.Profile.Settings<ClassifSaeSettings>().NConcepts);
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
    public void The_html_report_draws_each_training_curve_once_with_data()
    {
        var html = File.ReadAllText(Path.Combine(ReportStage.OutputDir(run.Context), "summary.html"));
        var section = Reporting.TrainingCurveReportTests.TrainingSection(html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(section, ">ClassifSAE training loss — [^<]*</text>"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(section, ">ConceptSHAP training loss — [^<]*</text>"));
        Assert.DoesNotContain("no data", section);
        Assert.False(File.Exists(Path.Combine(run.Context.StageDir(StageNames.Train, run.Key), "training_curve.json")));
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
        Assert.Equal(run.Context.Profile.FineTune.MaxLength, cfg["metadata"]!["context_size"]!.GetValue<int>());
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
        var rows = store.Query("""
            SELECT method, metric || coalesce('@' || ablation_pct, ''), value FROM latest_metrics
            WHERE metric IN ('cond_label_flip_rate', 'cond_tvd') OR (metric = 'global_label_flip' AND ablation_pct = 100)
            """).Rows;
        foreach (var method in new[] { "classifsae", "sae", "ica", "conceptshap" })
            foreach (var metric in new[] { "cond_label_flip_rate", "cond_tvd", "global_label_flip@100" })
            {
                var row = rows.SingleOrDefault(r => (string?)r[0] == method && (string)r[1]! == metric);
                Assert.True(row is not null, $"{method} has no {metric}");
                Assert.InRange(Convert.ToDouble(row![2]), 0, 1);
            }
        // Removing a whole class segment must change decisions more than removing nothing.
        Assert.Contains(rows, r => (string)r[1]! == "global_label_flip@100" && Convert.ToDouble(r[2]) > 0);
    }

    [Fact]
    public void Every_method_writes_the_originals_results_tree_with_its_identities()
    {
        var evaluate = run.Context.StageDir(StageNames.Evaluate, run.Key);
        foreach (var key in run.Context.SelectedMethods())
        {
            var n = Directory.GetDirectories(Path.Combine(evaluate, key)).Select(Path.GetFileName).Single()!;
            var test = Path.Combine(evaluate, key, n, "test");
            JsonObject Read(params string[] parts) => JsonNode.Parse(File.ReadAllText(Path.Combine([test, .. parts])))!.AsObject();
            var segments = JsonSerializer.Deserialize<int[][]>(File.ReadAllText(Path.Combine(evaluate, key, n, "segmented_features.json")))!;
            var metrics = Read("metrics.json");

            // metrics_no_ablation.json equals the class-wise keys of metrics.json (spec 02 §10.2).
            var none = Read("causality", "metrics_no_ablation.json");
            Assert.Equal(24, none.Count);
            foreach (var (k, v) in none) Assert.Equal(metrics[k]!.GetValue<double>(), v!.GetValue<double>());

            // C×4 category files; each averaged entry is the mean of its C category values; ablated = segment prefix.
            var averaged = Read("causality", "metrics_ablation_averaged_results.json");
            var files = Directory.GetFiles(Path.Combine(test, "causality"), "metrics_ablation_category_*_%.json");
            Assert.Equal(16, files.Length);
            for (var qi = 0; qi < 4; qi++)
            {
                var q = 25 * (qi + 1);
                var categoryFiles = files.Where(f => f.EndsWith($"_{q}_%.json")).Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
                Assert.Equal(4, categoryFiles.Count);
                Assert.Equal(4, categoryFiles.Select(f => f["category"]!.GetValue<string>()).Distinct().Count());
                foreach (var f in categoryFiles)
                {
                    Assert.Equal(q, f["Percentage ablation of the segment"]!.GetValue<int>());
                    Assert.True(f.ContainsKey("f1-score_3"), "class-wise keys of the ablated predictions are missing");
                }
                Assert.Equal(categoryFiles.Average(f => f["Global label-flip rate"]!.GetValue<double>()),
                    averaged["Global  (averaged over categories) Label-flip rate"]![qi]!.GetValue<double>(), 12);
                Assert.Equal(categoryFiles.Average(f => f["Global Total Variation Distance with regard to original predictions"]!.GetValue<double>()),
                    averaged["Global  (averaged over categories) TVD"]![qi]!.GetValue<double>(), 12);
            }
            foreach (var seg in segments)
                foreach (var f in files.Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject())
                             .Where(f => f["Ablated features"]!.AsArray().Count > 0 && seg.Contains(f["Ablated features"]![0]!.GetValue<int>())))
                {
                    var q = f["Percentage ablation of the segment"]!.GetValue<int>();
                    Assert.Equal(seg.Take(q * seg.Length / 100), f["Ablated features"]!.AsArray().Select(x => x!.GetValue<int>()));
                }

            // Interpretability: the original's keys, the encoder label, and per-class activating-sentence files.
            var interp = Read("interpretability", "interpretability_metrics.json");
            Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", interp["Sentence encoder"]!.GetValue<string>());
            Assert.Equal(4, interp["SentenceSim(k) for k from 1 to 4"]!.AsArray().Count);
            var csvs = Directory.GetFiles(Path.Combine(test, "interpretability", "activating_sentences"), "category_*.csv");
            Assert.Equal(segments.Count(s => s.Length > 0), csvs.Length);
            Assert.All(csvs, f => Assert.Equal("sentence,activation strength,feature_id,sparsity", File.ReadLines(f).First()));

            // PCA figures for SAE methods only, as the original.
            var sae = key is "classifsae" or "sae";
            Assert.Equal(sae, File.Exists(Path.Combine(test, "pca_figures", "2D_PCA_SAE_directions.svg")));
            Assert.Equal(sae, File.Exists(Path.Combine(test, "pca_figures", "2D_PCA_SAE_directions.png")));
            if (sae) Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(Path.Combine(test, "pca_figures", "2D_PCA_SAE_directions.png"))[..4]);
        }
    }

    [Fact]
    public void Interpretability_metrics_are_stored_with_their_encoder()
    {
        using var store = ResultsStore.Open(run.Context.StorePath);
        var rows = store.Query("""
            SELECT method, metric, value, encoder FROM latest_metrics
            WHERE metric IN ('conceptsim_weighted', 'conceptsim_unweighted', 'dataset_mean_pairwise_cos', 'avg_jaccard', 'redundancy', 'coverage')
               OR (metric = 'sentencesim' AND k IN (1, 4))
            """).Rows;
        foreach (var method in run.Context.SelectedMethods())
            Assert.Equal(8, rows.Count(r => (string)r[0]! == method));
        Assert.All(rows, r => Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", (string)r[3]!));
        // The reference line is a property of the data set alone: identical for every method.
        Assert.Single(rows.Where(r => (string)r[1]! == "dataset_mean_pairwise_cos").Select(r => Convert.ToDouble(r[2])).Distinct());
        Assert.Empty(store.Query("SELECT 1 FROM latest_metrics WHERE metric = 'recovery_accuracy' AND encoder IS NOT NULL").Rows);
    }

    /// <summary>
    /// The paper's central claim on the smoke corpus, as a direction: ClassifSAE's concepts are more causal (conditional
    /// label-flip rate and TVD) and more interpretable (ConceptSim) than the plain SAE's.
    /// </summary>
    [Fact]
    public void ClassifSae_is_ahead_of_the_plain_sae_on_conditional_causality_and_conceptsim()
    {
        var m = AllMetrics();
        var numbers = ClaimNumbers(m);
        Assert.True(m["classifsae/cond_label_flip_rate/test"] > m["sae/cond_label_flip_rate/test"], numbers);
        Assert.True(m["classifsae/cond_tvd/test"] > m["sae/cond_tvd/test"], numbers);
        Assert.True(m["classifsae/conceptsim_weighted/test"] > m["sae/conceptsim_weighted/test"], numbers);
        // Both must beat the data set's own mean pairwise cosine, or the concepts group nothing.
        Assert.True(m["classifsae/conceptsim_weighted/test"] > m["classifsae/dataset_mean_pairwise_cos/test"], numbers);
    }

    /// <summary>
    /// The same claim with margins fixed before measuring, from the paper's seed-to-seed spread (spec 02 §9.5: Δf_cond varies
    /// by up to about 0.07 between seeds, ConceptSim by about ±0.02). It does not hold on the smoke corpus — a finding
    /// reported in issue 5, not tuned away: measured (seed 42) Δf_cond ClassifSAE 0.025 vs SAE 0.000, TVD_cond 0.075 vs
    /// 0.011, ConceptSim 0.1844 vs 0.1749 (built-in TF-IDF + SVD encoder; data set mean cosine 0.1008).
    /// </summary>
    [Fact(Skip = "Finding (issue 5): on the smoke corpus ClassifSAE leads the plain SAE by less than the margins (Δf_cond +0.025 < 0.05, ConceptSim +0.010 < 0.02)")]
    public void ClassifSae_beats_the_plain_sae_by_more_than_the_papers_seed_spread()
    {
        var m = AllMetrics();
        Assert.True(m["classifsae/cond_label_flip_rate/test"] >= m["sae/cond_label_flip_rate/test"] + 0.05, ClaimNumbers(m));
        Assert.True(m["classifsae/conceptsim_weighted/test"] >= m["sae/conceptsim_weighted/test"] + 0.02, ClaimNumbers(m));
    }

    private static string ClaimNumbers(Dictionary<string, double> m) =>
        $"Δf_cond ClassifSAE {m["classifsae/cond_label_flip_rate/test"]:F4} vs SAE {m["sae/cond_label_flip_rate/test"]:F4}; " +
        $"TVD_cond {m["classifsae/cond_tvd/test"]:F4} vs {m["sae/cond_tvd/test"]:F4}; " +
        $"ConceptSim {m["classifsae/conceptsim_weighted/test"]:F4} vs {m["sae/conceptsim_weighted/test"]:F4} (data set {m["classifsae/dataset_mean_pairwise_cos/test"]:F4})";
}

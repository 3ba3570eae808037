using TorchSharp;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClassifSae.Caching;
using ClassifSae.Concepts;
using ClassifSae.Data;
using ClassifSae.Evaluation;
using ClassifSae.Evaluation.Causality;
using ClassifSae.Evaluation.Completeness;
using ClassifSae.Evaluation.Figures;
using ClassifSae.Evaluation.Interpretability;
using ClassifSae.Evaluation.Selection;
using ClassifSae.Formats;
using ClassifSae.Reporting;
using ClassifSae.Runtime;
using ClassifSae.SentenceEncoders;
using static TorchSharp.torch;

namespace ClassifSae.Pipeline.Stages;

/// <summary>
/// Evaluate (spec 02 §3–4), for every selected concept method alike: z_class candidates (the method's own rule)
/// and the dead filter, the concept bottleneck pass through the last block (recovery and reconstruction
/// accuracy), activation rates, diversity, and each concept's top sentences — scored against the planted
/// sub-topics when the data set has them. Output mirrors the original's tree:
/// <c>&lt;method&gt;/&lt;n_concepts&gt;/test/metrics.json</c>.
/// </summary>
public static class EvaluateStage
{
    public const string Method = "classifsae";

    public static string ResultsDir(string evaluateFolder, int nConcepts) => ResultsDir(evaluateFolder, Method, nConcepts);

    public static string ResultsDir(string evaluateFolder, string method, int nConcepts) =>
        Path.Combine(evaluateFolder, method, nConcepts.ToString(), "test");

    public static StageManifest Run(RunContext ctx, PipelineKey key)
    {
        ctx = InferenceDtype.For(ctx, key);
        var inputs = new Dictionary<string, StageManifest>
        {
            [StageNames.FineTune] = StageRunner.Require(ctx, StageNames.FineTune, key),
            [StageNames.Cache] = StageRunner.Require(ctx, StageNames.Cache, key),
            [StageNames.Train] = StageRunner.Require(ctx, StageNames.Train, key),
        };
        var methods = ctx.SelectedMethods();
        var trainDir = ctx.StageDir(StageNames.Train, key);
        foreach (var m in methods)
            if (MethodFile.TryLoad(TrainStage.MethodDir(trainDir, m)) is null)
                throw new UserError($"{trainDir}: method '{m}' was not trained (run `classifsae train --profile {ctx.Profile.Name} --methods {string.Join(",", methods)}`)");
        var owned = StageRegistry.OwnedSettings(ctx, key, StageNames.Evaluate);
        // As in Train: the paper's version hashes as before the key existed.
        object config = ctx.Profile.MethodVersion == global::ClassifSae.Settings.MethodVersion.Paper2025
            ? new { owned, methods }
            : new { owned, methods, method_version = ctx.Profile.MethodVersion };
        return StageRunner.Run(ctx, StageNames.Evaluate, key, config, inputs, dir => Execute(ctx, key, dir, methods));
    }

    private static IReadOnlyList<MetricRecord> Execute(RunContext ctx, PipelineKey key, string dir, IReadOnlyList<string> methods)
    {
        var ft = new FineTuneArtifacts(ctx.StageDir(StageNames.FineTune, key));
        var dataset = ft.Dataset();
        using var rawTest = ActivationShards.Read(CacheStage.SplitDir(ctx.StageDir(StageNames.Cache, key), "test"));
        using var test = rawTest.InDatasetOrder();
        if (test.LabelLogits is null) throw new UserError($"{ctx.StageDir(StageNames.Cache, key)}: the test cache has no label logits (re-run the Cache stage)");
        using var model = InferenceDtype.Load(ctx, key, ft);
        model.Module.to(ctx.Device);
        using var _ = no_grad();
        var labelTokens = PromptEncoding.LabelTokens(model, ft.Tokenizer(), dataset.ClassCount);
        using var labelIds = tensor(labelTokens.Select(t => (long)t).ToArray(), device: ctx.Device);
        using var sentences = ProgressStep.Run(ctx.Progress, "evaluate: sentence embeddings of the test split", _ => EncodeTestSentences(ctx, dataset, test));
        var metrics = new List<MetricRecord>();
        foreach (var m in methods)
        {
            using var loaded = ProgressStep.Run(ctx.Progress, $"evaluate {m}: loading the trained concepts", _ =>
                ConceptMethods.Get(m).Load(TrainStage.MethodDir(ctx.StageDir(StageNames.Train, key), m)));
            metrics.AddRange(EvaluateMethod(ctx, key, dir, loaded, model, labelIds, dataset, test, sentences));
        }
        return metrics;
    }

    private static IReadOnlyList<MetricRecord> EvaluateMethod(RunContext ctx, PipelineKey key, string dir, LoadedConcepts loaded,
        Backbones.IClassifierBackbone model, Tensor labelIds, TextDataset dataset, CachedSplit test, SentenceEmbeddings sentences)
    {
        var bottleneck = loaded.Bottleneck;
        var batch = ctx.Profile.Evaluate.BatchSize;
        var p = ctx.Progress;
        var step = $"evaluate {loaded.Key}";
        var activations = ProgressStep.Run(p, $"{step}: concept activations and selection", _ => Batched.Apply(test.Hidden, batch, bottleneck.Activations));
        using var __ = activations;
        var candidates = loaded.Candidates(activations, test.TrueLabel, dataset.ClassCount);
        var rules = EvaluationRules.For(ctx.Profile.MethodVersion);
        var selected = ConceptSelection.Select(activations, candidates.Indices, rules.DeadThreshold);
        var segments = ConceptSelection.Segment(activations, test.TrueLabel, dataset.ClassCount, selected, rules.SegmentByClassMeans);
        using var keep = zeros(activations.size(1), dtype: ScalarType.Bool);
        foreach (var j in selected) keep[j] = true;
        using var masked = activations * keep.to(activations.dtype);

        var logitsWith = BottleneckLogits.For(bottleneck, model, labelIds, batch, ctx.Device, rules.RescaleToInputNorm);
        using var directions = bottleneck.Directions();
        var (reconstructedLogits, completeness) = ProgressStep.Run(p, $"{step}: reconstruction through the last block", _ =>
        {
            var logits = logitsWith(test.Hidden, keep);
            return (logits, CompletenessMetrics.Compute(test.LabelLogits!, logits, test.TrueLabel, masked, selected, directions, dataset.ClassCount,
                rateThreshold: rules.RateThreshold));
        });
        using var ___ = reconstructedLogits;

        var outDir = ResultsDir(dir, loaded.Key, loaded.NConcepts);
        AtomicFile.WriteAllText(Path.Combine(outDir, "metrics.json"), completeness.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        AtomicFile.WriteAllText(Path.Combine(outDir, "..", "selected_features.json"), JsonSerializer.Serialize(selected));
        AtomicFile.WriteAllText(Path.Combine(outDir, "..", "segmented_features.json"), JsonSerializer.Serialize(segments));

        var causality = CausalityAnalysis.Run(test.Hidden, keep, masked, reconstructedLogits, test.TrueLabel, selected, segments, (h, k) => logitsWith(h, k),
            rules.CategoryAblation, p, $"{step}: causality");
        WriteCausality(Path.Combine(outDir, "causality"), causality, dataset.ClassNames);
        ConfusionMatrixFile.Write(outDir, new Dictionary<string, int[][]>
        {
            ["test"] = ConfusionMatrixFile.Count(reconstructedLogits.argmax(1).cpu().data<long>().ToArray(), test.TrueLabel, dataset.ClassCount),
        });
        if (ConceptMethods.Get(loaded.Key).IsSparseAutoencoder) // the original draws this figure for SAE methods only
            ProgressStep.Run(p, $"{step}: PCA of the concept directions", _ =>
            {
                WritePcaFigure(Path.Combine(outDir, "pca_figures"), test, directions, masked, selected, segments, dataset, loaded.Key);
                WriteConceptPca(Path.Combine(outDir, "pca_figures"), test, directions, loaded.NConcepts);
            });
        WriteActivationRates(outDir, ctx.StageDir(StageNames.Train, key), loaded.Key);
        var interpretability = ProgressStep.Run(p, $"{step}: interpretability (ConceptSim over {sentences.Encoder} embeddings)", _ =>
            InterpretabilityAnalysis.Run(activations, selected, segments, sentences, Path.Combine(outDir, "interpretability"), rules.ActivatingSets, dataset.ClassNames));

        var metrics = completeness.Named().Select(m => new MetricRecord(m.Metric, m.Value, "test", loaded.Key)).ToList();
        metrics.AddRange(causality.Named().Select(m => new MetricRecord(m.Metric, m.Value, "test", loaded.Key)));
        metrics.AddRange(candidates.Diagnostics.Select(d => new MetricRecord(d.Metric, d.Value, "test", loaded.Key)));
        metrics.AddRange(ProgressStep.Run(p, $"{step}: top sentences per concept", _ => WriteTopSentences(ctx, dataset, test, masked, selected, segments, outDir, loaded.Key).ToList()));
        ActivationHistograms.Write(Path.Combine(outDir, "interpretability"), ActivationHistograms.Of(masked, segments.SelectMany(s => s)));
        metrics.AddRange(interpretability.Named().Select(m =>
            new MetricRecord(m.Metric, m.Value, "test", loaded.Key, InterpretabilityMetrics.FormulaVersion, sentences.Encoder)));
        ctx.Log($"{key} {loaded.Key}: recovery accuracy {completeness.RecoveryAccuracy:F4}, reconstruction accuracy {completeness.ReconstructionAccuracy:F4}, " +
                $"{CompletenessMetrics.ActivationRateLabel} {completeness.AverageActivationRatePct:F1} % (max {completeness.MaxActivationRatePct:F1} %), {selected.Length} concepts; " +
                $"conditional flip rate {causality.ConditionalMean.FlipRate:F3}, conditional TVD {causality.ConditionalMean.Tvd:F3}; " +
                $"ConceptSim {interpretability.ConceptSim.Weighted:F4} (data set {sentences.DatasetMeanCosine:F4}, {sentences.Encoder})");
        return metrics;
    }

    private static SentenceEmbeddings EncodeTestSentences(RunContext ctx, TextDataset dataset, CachedSplit test)
    {
        using var encoder = SentenceEncoderFactory.Create(ctx.Profile.Evaluate.SentenceEncoder, dataset.Train.Select(r => r.Text).ToList(), ctx.Progress, ctx.Seed);
        var texts = test.SentenceIndex.Select(i => dataset.Test[(int)i].Text).ToList();
        return SentenceEmbeddings.Encode(encoder, texts, ctx.Progress);
    }

    private static void WriteCausality(string folder, CausalityAnalysis.Result causality, IReadOnlyList<string> classNames)
    {
        var indented = new JsonSerializerOptions { WriteIndented = true };
        AtomicFile.WriteAllText(Path.Combine(folder, "metrics_no_ablation.json"), causality.ToNoAblationJson().ToJsonString(indented));
        foreach (var (name, json) in causality.ToCategoryJson(classNames))
            AtomicFile.WriteAllText(Path.Combine(folder, name), json.ToJsonString(indented));
        AtomicFile.WriteAllText(Path.Combine(folder, "metrics_ablation_averaged_results.json"), causality.ToAveragedJson().ToJsonString(indented));
        ConceptEffectsFile.Write(folder, ConceptEffectsFile.From(causality));
    }

    private static void WritePcaFigure(string folder, CachedSplit test, Tensor directions, Tensor masked, int[] selected, int[][] segments,
        TextDataset dataset, string method)
    {
        using var scope = NewDisposeScope();
        var live = selected.Where(j => masked[.., j].abs().mean().item<float>() > 0).ToArray();
        var pca = DecoderPca.Compute(test.Hidden, directions.index_select(0, tensor(live.Select(j => (long)j).ToArray())), test.TrueLabel, dataset.ClassCount);
        var concepts = live.Select((j, i) => new PcaFigure.Concept(j, pca.Directions[i][0], pca.Directions[i][1],
            ConceptSelection.SegmentOf(segments, j),
            masked[.., j].mean().item<float>())).ToList();
        PcaFigure.Write(folder, concepts, pca.Prototypes, dataset.ClassNames, $"{method}: concept directions in the PCA of the test states");
    }

    /// <summary>Every candidate concept's direction in the PCA of the test states, for the results store (concepts.pca_x, pca_y).</summary>
    private static void WriteConceptPca(string folder, CachedSplit test, Tensor directions, int nConcepts)
    {
        using var scope = NewDisposeScope();
        var concepts = Enumerable.Range(0, (int)Math.Min(nConcepts, directions.size(0))).ToList();
        var pca = DecoderPca.Compute(test.Hidden, directions[..concepts.Count], test.TrueLabel, classes: 0);
        ConceptPcaFile.Write(folder, concepts, pca.Directions);
    }

    /// <summary>The trainer's firing frequencies (SAE methods), recorded here so the store never reads the Train folder.</summary>
    private static void WriteActivationRates(string outDir, string trainDir, string method)
    {
        var rates = Ingest.SaeConceptFiles.ActivationRatesPct(TrainStage.MethodDir(trainDir, method));
        if (rates is null) return;
        var source = $"{StageNames.Train}/{method}/{Concepts.Sae.SaeFolderFiles.Sparsity}";
        Evaluation.ActivationRatesFile.Write(outDir, new Evaluation.ActivationRatesFile.Rates(source, rates));
    }

    private static IEnumerable<MetricRecord> WriteTopSentences(RunContext ctx, TextDataset dataset, CachedSplit test, Tensor masked,
        int[] selected, int[][] segments, string outDir, string method)
    {
        var rows = test.SentenceIndex.Select(i => dataset.Test[(int)i]).ToArray();
        var top = TopSentences.For(masked, selected, ctx.Profile.Evaluate.TopSentences);
        var subTopics = rows.Select(r => r.Label * 1000 + r.SubTopic).ToArray();
        var hasSubTopics = rows.All(r => r.SubTopic >= 0);
        var json = new JsonArray();
        var purities = new List<double>();
        for (var c = 0; c < segments.Length; c++)
            foreach (var j in segments[c])
            {
                var entries = top[j];
                var purity = hasSubTopics ? TopSentences.Purity(entries, subTopics) : double.NaN;
                if (!double.IsNaN(purity)) purities.Add(purity);
                json.Add(new JsonObject
                {
                    ["concept"] = j,
                    ["segment_class"] = c,
                    ["segment_class_name"] = dataset.ClassNames[c],
                    ["subtopic_purity"] = double.IsNaN(purity) ? null : purity,
                    ["sentences"] = new JsonArray(entries.Select(e => (JsonNode)new JsonObject
                    {
                        ["sentence_index"] = rows[e.Row].Index,
                        ["activation"] = e.Activation,
                        ["label"] = rows[e.Row].Label,
                        ["sub_topic"] = rows[e.Row].SubTopic,
                        ["text"] = rows[e.Row].Text,
                    }).ToArray()),
                });
            }
        AtomicFile.WriteAllText(Path.Combine(outDir, "interpretability", "top_sentences.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (purities.Count > 0) yield return new MetricRecord("top_sentence_subtopic_purity", purities.Average(), "test", method);
    }
}

using TorchSharp;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClassifSae.Caching;
using ClassifSae.Concepts.Sae;
using ClassifSae.Data;
using ClassifSae.Evaluation.Completeness;
using ClassifSae.Evaluation.Interpretability;
using ClassifSae.Evaluation.Selection;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Pipeline.Stages;

/// <summary>
/// Evaluate (spec 02 §3–4): z_class selection with the dead filter, the concept bottleneck pass through the
/// last block (recovery and reconstruction accuracy), activation rates, diversity, and each concept's top
/// sentences — scored against the planted sub-topics when the data set has them. Output mirrors the
/// original's tree: <c>classifsae/&lt;n_concepts&gt;/test/metrics.json</c>.
/// </summary>
public static class EvaluateStage
{
    public const string Method = "classifsae";

    public static string ResultsDir(string evaluateFolder, int nConcepts) => Path.Combine(evaluateFolder, Method, nConcepts.ToString(), "test");

    public static StageManifest Run(RunContext ctx, PipelineKey key)
    {
        var inputs = new Dictionary<string, StageManifest>
        {
            [StageNames.FineTune] = StageRunner.Require(ctx, StageNames.FineTune, key),
            [StageNames.Cache] = StageRunner.Require(ctx, StageNames.Cache, key),
            [StageNames.Train] = StageRunner.Require(ctx, StageNames.Train, key),
        };
        var config = new { evaluate = ctx.Profile.Evaluate, n_concepts = ctx.Profile.ClassifSae.NConcepts };
        return StageRunner.Run(ctx, StageNames.Evaluate, key, config, inputs, dir => Execute(ctx, key, dir));
    }

    private static IReadOnlyList<MetricRecord> Execute(RunContext ctx, PipelineKey key, string dir)
    {
        var ft = new FineTuneArtifacts(ctx.StageDir(StageNames.FineTune, key));
        var dataset = ft.Dataset();
        using var rawTest = ActivationShards.Read(CacheStage.SplitDir(ctx.StageDir(StageNames.Cache, key), "test"));
        using var test = rawTest.InDatasetOrder();
        if (test.LabelLogits is null) throw new UserError($"{ctx.StageDir(StageNames.Cache, key)}: the test cache has no label logits (re-run the Cache stage)");
        using var loaded = SaeFolder.Load(Path.Combine(ctx.StageDir(StageNames.Train, key), TrainStage.MethodFolder));
        using var model = ft.Model();
        model.to(ctx.Device);
        using var _ = no_grad();

        var bottleneck = new SaeBottleneck(loaded.Sae);
        var nConcepts = loaded.Head.NConcepts;
        using var activations = Batched(test.Hidden, ctx.Profile.Evaluate.BatchSize, bottleneck.Activations);
        var selected = ConceptSelection.Select(activations, Enumerable.Range(0, nConcepts).ToArray());
        var segments = ConceptSelection.Segment(activations, test.TrueLabel, dataset.ClassCount, selected);
        using var keep = zeros(activations.size(1), dtype: ScalarType.Bool);
        foreach (var j in selected) keep[j] = true;
        using var masked = activations * keep.to(activations.dtype);

        var hook = model.Config.DecisionHookLayer;
        var labelTokens = PromptEncoding.LabelTokens(ft.Tokenizer(), dataset.ClassCount);
        using var labelIds = tensor(labelTokens.Select(t => (long)t).ToArray(), device: ctx.Device);
        using var reconstructedLogits = Batched(test.Hidden, ctx.Profile.Evaluate.BatchSize, h =>
        {
            using var xhat = bottleneck.ReconstructMasked(h, keep);
            using var logits = model.Tail(xhat.to(ctx.Device), hook);
            return logits.index_select(1, labelIds).cpu();
        });
        using var directions = bottleneck.Directions();
        var completeness = CompletenessMetrics.Compute(test.LabelLogits, reconstructedLogits, test.TrueLabel, masked, selected, directions, dataset.ClassCount);

        var outDir = ResultsDir(dir, nConcepts);
        AtomicFile.WriteAllText(Path.Combine(outDir, "metrics.json"), completeness.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        AtomicFile.WriteAllText(Path.Combine(outDir, "..", "selected_features.json"), JsonSerializer.Serialize(selected));
        AtomicFile.WriteAllText(Path.Combine(outDir, "..", "segmented_features.json"), JsonSerializer.Serialize(segments));

        var metrics = completeness.Named().Select(m => new MetricRecord(m.Metric, m.Value, "test", Method)).ToList();
        metrics.AddRange(WriteTopSentences(ctx, dataset, test, masked, selected, segments, outDir));
        ctx.Log($"{key}: recovery accuracy {completeness.RecoveryAccuracy:F4}, reconstruction accuracy {completeness.ReconstructionAccuracy:F4}, " +
                $"activation rate {completeness.AverageActivationRatePct:F1} % (max {completeness.MaxActivationRatePct:F1} %), {selected.Length} concepts");
        return metrics;
    }

    private static IEnumerable<MetricRecord> WriteTopSentences(RunContext ctx, TextDataset dataset, CachedSplit test, Tensor masked,
        int[] selected, int[][] segments, string outDir)
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
        if (purities.Count > 0) yield return new MetricRecord("top_sentence_subtopic_purity", purities.Average(), "test", Method);
    }

    /// <summary>Applies <paramref name="f"/> to row batches of <paramref name="x"/> and concatenates the results.</summary>
    private static Tensor Batched(Tensor x, int batch, Func<Tensor, Tensor> f)
    {
        var parts = new List<Tensor>();
        for (long s = 0; s < x.size(0); s += batch)
            parts.Add(f(x[(int)s..(int)Math.Min(x.size(0), s + batch)]));
        var result = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return result;
    }
}

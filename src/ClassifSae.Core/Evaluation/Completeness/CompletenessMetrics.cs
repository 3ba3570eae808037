using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Completeness;

/// <summary>
/// Completeness and activation statistics of spec 02 §4.2, computed from the original and reconstructed
/// label-restricted logits, the true labels and the masked activations. Names follow the reference results.
/// </summary>
public sealed record CompletenessMetrics(
    double RecoveryAccuracy, double OriginalAccuracy, double ReconstructionAccuracy,
    double OriginalMeanLoss, double ReconstructionMeanLoss,
    double AverageActivationRatePct, double MaxActivationRatePct,
    IReadOnlyList<ClassMetrics> ReconstructionPerClass,
    double LocalDiversity, double GlobalDiversity, int SelectedFeatures, int Sentences)
{
    public const double ActiveThreshold = 1e-8;

    /// <summary>
    /// What <see cref="AverageActivationRatePct"/> counts, wherever it is printed: per selected concept, the share of test
    /// sentences on which it is active, averaged over the selected concepts. Training's concept firing rate is another
    /// figure (train batches, every concept feature, a fraction), so the two differ.
    /// </summary>
    public const string ActivationRateLabel = "activation rate (share of test sentences, mean over selected concepts)";

    /// <param name="originalLogits">[N, K] label logits of the full forward</param>
    /// <param name="reconstructedLogits">[N, K] label logits of the tail on the reconstruction</param>
    /// <param name="maskedActivations">[N, F] activations with unselected features zeroed</param>
    /// <param name="directions">[F, D] concept directions</param>
    /// <param name="rateThreshold">|ã| above which a concept counts as active (upstream: 1e-6, spec 04 §6.2)</param>
    public static CompletenessMetrics Compute(Tensor originalLogits, Tensor reconstructedLogits, IReadOnlyList<long> truth,
        Tensor maskedActivations, IReadOnlyList<int> selected, Tensor directions, int classes, int lossBatch = 4, double rateThreshold = ActiveThreshold)
    {
        var n = truth.Count;
        var orig = originalLogits.argmax(1).data<long>().ToArray();
        var rec = reconstructedLogits.argmax(1).data<long>().ToArray();
        double Frac(Func<int, bool> f) => (double)Enumerable.Range(0, n).Count(f) / n;

        var rates = selected.Select(j =>
        {
            using var col = maskedActivations[.., j].abs().gt(rateThreshold).sum();
            return 100.0 * col.item<long>() / n;
        }).ToArray();
        var (local, global) = Diversity(directions, selected);
        return new CompletenessMetrics(
            Frac(i => orig[i] == rec[i]), Frac(i => orig[i] == truth[i]), Frac(i => rec[i] == truth[i]),
            MeanBatchLoss(originalLogits, truth, lossBatch), MeanBatchLoss(reconstructedLogits, truth, lossBatch),
            rates.Length == 0 ? 0 : rates.Average(), rates.Length == 0 ? 0 : rates.Max(),
            ClassificationMetrics.Compute(rec, truth, classes).PerClass,
            local, global, selected.Count, n);
    }

    /// <summary>Mean over consecutive batches (the original's 4-sentence cache batches) of the batch-mean cross-entropy.</summary>
    public static double MeanBatchLoss(Tensor logits, IReadOnlyList<long> truth, int batch)
    {
        using var scope = NewDisposeScope();
        var y = tensor(truth.ToArray());
        var losses = new List<double>();
        for (var s = 0; s < truth.Count; s += batch)
        {
            var e = Math.Min(truth.Count, s + batch);
            losses.Add(nn.functional.cross_entropy(logits[s..e].to(ScalarType.Float64), y[s..e]).item<double>());
        }
        return losses.Average();
    }

    /// <summary>Mean nearest-neighbour and mean pairwise cosine distance between selected directions.</summary>
    public static (double Local, double Global) Diversity(Tensor directions, IReadOnlyList<int> selected)
    {
        if (selected.Count < 2) return (0, 0);
        using var scope = NewDisposeScope();
        var v = directions.index_select(0, tensor(selected.Select(j => (long)j).ToArray())).to(ScalarType.Float64);
        v = v / v.norm(1, keepdim: true).clamp_min(1e-12);
        var d = (1 - v.matmul(v.T)).data<double>().ToArray();
        var m = selected.Count;
        double local = 0, global = 0;
        for (var i = 0; i < m; i++)
        {
            var nearest = double.PositiveInfinity;
            for (var k = 0; k < m; k++)
            {
                if (k == i) continue;
                nearest = Math.Min(nearest, d[i * m + k]);
                if (k > i) global += d[i * m + k];
            }
            local += nearest;
        }
        return (local / m, global * 2 / (m * (m - 1)));
    }

    public System.Text.Json.Nodes.JsonObject ToJson()
    {
        // Key order of the original's metrics.json (spec 02 §4.3).
        var o = new System.Text.Json.Nodes.JsonObject
        {
            ["Original Mean Loss"] = OriginalMeanLoss,
            ["Reconstruction Mean loss"] = ReconstructionMeanLoss,
            ["Number sentences"] = Sentences,
            ["Recovery accuracy"] = RecoveryAccuracy,
            ["Original accuracy"] = OriginalAccuracy,
            ["Reconstruction accuracy"] = ReconstructionAccuracy,
            ["Averaged activation frequency"] = AverageActivationRatePct,
            ["Highest activation frequency"] = MaxActivationRatePct,
        };
        ClassificationMetrics.AddClassWise(o, ReconstructionPerClass);
        o["local_diversity_metric"] = LocalDiversity;
        o["global_diversity_metric"] = GlobalDiversity;
        return o;
    }

    public IEnumerable<(string Metric, double Value)> Named()
    {
        yield return ("recovery_accuracy", RecoveryAccuracy);
        yield return ("original_accuracy", OriginalAccuracy);
        yield return ("reconstruction_accuracy", ReconstructionAccuracy);
        yield return ("original_mean_ce_loss", OriginalMeanLoss);
        yield return ("reconstruction_mean_ce_loss", ReconstructionMeanLoss);
        yield return ("avg_activation_rate_pct", AverageActivationRatePct);
        yield return ("max_activation_rate_pct", MaxActivationRatePct);
        yield return ("local_diversity", LocalDiversity);
        yield return ("global_diversity", GlobalDiversity);
        yield return ("n_selected_features", SelectedFeatures);
        yield return ("n_test_sentences", Sentences);
        foreach (var c in ReconstructionPerClass)
        {
            yield return ($"reconstruction_recall_{c.Class}", c.Recall);
            yield return ($"reconstruction_precision_{c.Class}", c.Precision);
            yield return ($"reconstruction_f1-score_{c.Class}", c.F1);
        }
    }
}

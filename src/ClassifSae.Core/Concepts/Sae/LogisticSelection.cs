using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>What the probe chose: z_class candidates (best first), the C picked and the cross-validated accuracies.</summary>
public sealed record LogisticSelectionResult(int[] Candidates, double BestC, IReadOnlyDictionary<double, double> CvAccuracy,
    int NonZeroFeatures, double TrainAccuracy, int Iterations);

/// <summary>
/// The plain SAE's z_class (spec 02 §2.3): LogisticRegressionCV semantics — features standardised once on all rows,
/// stratified k-fold without shuffling (scikit-learn's fold allocation), accuracy per C, first best C, refit on all
/// rows; features ranked by the norm of their coefficients, ties broken by the higher index.
/// </summary>
public static class LogisticSelection
{
    public static LogisticSelectionResult Select(Tensor activations, IReadOnlyList<long> labels, int classes, int count, L1LogisticOptions options)
    {
        options.Validate();
        using var design = new StandardizedDesign(activations);
        var folds = StratifiedFolds(labels, options.Folds);
        var cv = new Dictionary<double, double>();
        foreach (var c in options.Cs)
        {
            var accuracies = new List<double>();
            for (var f = 0; f < options.Folds; f++)
            {
                var trainRows = Enumerable.Range(0, labels.Count).Where(i => folds[i] != f).Select(i => (long)i).ToArray();
                var testRows = Enumerable.Range(0, labels.Count).Where(i => folds[i] == f).Select(i => (long)i).ToArray();
                using var trainX = design.Subset(trainRows);
                using var testX = design.Subset(testRows);
                var fit = L1LogisticRegression.Fit(trainX, trainRows.Select(i => labels[(int)i]).ToArray(), classes, c, options);
                var predicted = L1LogisticRegression.Predict(testX, fit);
                accuracies.Add(testRows.Where((row, i) => predicted[i] == labels[(int)row]).Count() / (double)testRows.Length);
            }
            cv[c] = accuracies.Average();
        }
        var bestC = options.Cs.First(c => cv[c] == cv.Values.Max());
        var final = L1LogisticRegression.Fit(design, labels, classes, bestC, options);
        var trainPredicted = L1LogisticRegression.Predict(design, final);
        var trainAccuracy = Enumerable.Range(0, labels.Count).Count(i => trainPredicted[i] == labels[i]) / (double)labels.Count;
        var scores = final.FeatureScores();
        var ranked = Enumerable.Range(0, scores.Length).OrderByDescending(j => scores[j]).ThenByDescending(j => j).Take(count).ToArray();
        return new LogisticSelectionResult(ranked, bestC, cv, scores.Count(s => s > 0), trainAccuracy, final.Iterations);
    }

    /// <summary>
    /// scikit-learn's StratifiedKFold(shuffle=False): classes are numbered by first appearance in the labels; per class,
    /// the samples (in order) are cut into contiguous runs whose sizes come from dealing the samples, sorted by that
    /// number, round-robin into the folds.
    /// </summary>
    public static int[] StratifiedFolds(IReadOnlyList<long> labels, int folds)
    {
        var order = new Dictionary<long, int>();
        foreach (var label in labels) order.TryAdd(label, order.Count);
        var encoded = labels.Select(l => order[l]).ToArray();
        var sorted = encoded.Order().ToArray();
        var allocation = new int[folds, order.Count];
        for (var i = 0; i < sorted.Length; i++) allocation[i % folds, sorted[i]]++;
        var result = new int[labels.Count];
        for (var c = 0; c < order.Count; c++)
        {
            var foldOfRank = new List<int>();
            for (var f = 0; f < folds; f++) foldOfRank.AddRange(Enumerable.Repeat(f, allocation[f, c]));
            var rank = 0;
            for (var i = 0; i < labels.Count; i++)
                if (encoded[i] == c) result[i] = foldOfRank[rank++];
        }
        return result;
    }
}

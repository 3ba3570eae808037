using ClassifSae.Numerics;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>What the probe chose: z_class candidates (best first), the C picked and the cross-validated accuracies.</summary>
public sealed record LogisticSelectionResult(int[] Candidates, double BestC, IReadOnlyDictionary<double, double> CvAccuracy,
    int NonZeroFeatures, double TrainAccuracy, int Iterations, LogisticFit Final);

/// <summary>
/// The plain SAE's z_class (spec 02 §2.3) as Pipeline(StandardScaler, LogisticRegressionCV(saga, l1, random_state=0))
/// computes it in scikit-learn 1.2: features standardised once on all rows; stratified k-fold without shuffling; on
/// each fold the Cs are fitted in order, each warm-started from the previous one's saga memory, with one
/// RandomState(0) per fold; the C with the highest summed fold accuracy (first on ties) is refitted on all rows
/// from the fold coefficients' mean with a fresh RandomState(0); features are ranked by the norm of their
/// coefficients, ties broken by the higher index.
/// </summary>
public static class LogisticSelection
{
    /// <summary>The original passes random_state=0 (overriding its default 42).</summary>
    public const int RandomState = 0;

    public static LogisticSelectionResult Select(Tensor activations, IReadOnlyList<long> labels, int classes, int count, L1LogisticOptions options)
    {
        options.Validate();
        var design = new ScaledDesign(activations);
        if (design.Rows != labels.Count) throw new ArgumentException($"{labels.Count} labels for {design.Rows} rows");
        var folds = StratifiedFolds(labels, options.Folds);
        var k = classes == 2 ? 1 : classes;
        var foldFits = new LogisticFit[options.Folds, options.Cs.Count];
        var scores = new double[options.Folds, options.Cs.Count];
        // Folds are independent (each has its own RandomState(0) and saga memory), so they run in parallel as n_jobs=-1 does.
        Parallel.For(0, options.Folds, f =>
        {
            var trainRows = Enumerable.Range(0, labels.Count).Where(i => folds[i] != f).ToArray();
            var testRows = Enumerable.Range(0, labels.Count).Where(i => folds[i] == f).ToArray();
            var trainLabels = trainRows.Select(i => labels[i]).ToArray();
            var rng = new NumpyRandomState(RandomState);
            var state = new SagaState(trainRows.Length, design.Features, k);
            for (var ci = 0; ci < options.Cs.Count; ci++)
            {
                var fit = L1LogisticRegression.Fit(design, trainRows, trainLabels, classes, options.Cs[ci], options.Tolerance, options.MaxIterations, rng, state);
                var predicted = L1LogisticRegression.Predict(design, testRows, fit);
                foldFits[f, ci] = fit;
                scores[f, ci] = testRows.Where((row, i) => predicted[i] == labels[row]).Count() / (double)testRows.Length;
            }
        });
        var best = 0;
        var sums = Enumerable.Range(0, options.Cs.Count).Select(ci => Enumerable.Range(0, options.Folds).Sum(f => scores[f, ci])).ToArray();
        for (var ci = 1; ci < sums.Length; ci++) if (sums[ci] > sums[best]) best = ci;
        var bestC = options.Cs[best];

        var allRows = Enumerable.Range(0, labels.Count).ToArray();
        var refit = new SagaState(allRows.Length, design.Features, k);
        for (var j = 0; j < design.Features; j++)
        for (var o = 0; o < k; o++)
            refit.Weights[j * k + o] = Enumerable.Range(0, options.Folds).Sum(f => foldFits[f, best].Coefficients[j, o]) / options.Folds;
        for (var o = 0; o < k; o++) refit.Intercept[o] = Enumerable.Range(0, options.Folds).Sum(f => foldFits[f, best].Intercepts[o]) / options.Folds;
        var final = L1LogisticRegression.Fit(design, allRows, labels, classes, bestC, options.Tolerance, options.MaxIterations,
            new NumpyRandomState(RandomState), refit);
        var trainPredicted = L1LogisticRegression.Predict(design, allRows, final);
        var trainAccuracy = allRows.Count(i => trainPredicted[i] == labels[i]) / (double)labels.Count;
        var featureScores = final.FeatureScores();
        var ranked = Enumerable.Range(0, featureScores.Length).OrderByDescending(j => featureScores[j]).ThenByDescending(j => j).Take(count).ToArray();
        var cv = new Dictionary<double, double>();
        for (var ci = 0; ci < options.Cs.Count; ci++) cv[options.Cs[ci]] = sums[ci] / options.Folds;
        return new LogisticSelectionResult(ranked, bestC, cv, featureScores.Count(s => s > 0), trainAccuracy, final.Iterations, final);
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

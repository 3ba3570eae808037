using ClassifSae.Numerics;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Upstream's (bc50f40) z_class of the plain SAE (spec 04 §5.4) as scikit-learn 1.2 computes
/// GridSearchCV(Pipeline(StandardScaler, LogisticRegression(l1, saga, multinomial, tol, max_iter, random_state=42,
/// class_weight="balanced")), C grid, accuracy, StratifiedKFold(k, shuffle=True, random_state=42), refit): every
/// (fold, C) fit is fresh (scaler fitted on the fold's training rows, balanced weights n/(C·n_c) from them, saga from
/// zero with its own RandomState(42)); the C with the highest mean fold accuracy (first on ties) is refitted on all
/// rows; features are ranked by the L2 norm of their coefficients, ties broken by the higher index. With two classes
/// the multinomial fit has two logits but scikit-learn keeps (and predicts with) only the second.
/// </summary>
public static class GridSearchSelection
{
    public const int RandomState = 42;

    public static LogisticSelectionResult Select(Tensor activations, IReadOnlyList<long> labels, int count, L1LogisticOptions options)
    {
        options.Validate();
        var n = labels.Count;
        if (activations.size(0) != n) throw new ArgumentException($"{n} labels for {activations.size(0)} rows");
        // LabelEncoder: classes are the sorted distinct labels; the fits see their indices.
        var classValues = labels.Distinct().Order().ToArray();
        if (classValues.Length < 2) throw new ArgumentException("the probe needs at least two classes");
        var encoded = labels.Select(l => (long)Array.BinarySearch(classValues, l)).ToArray();
        var classes = classValues.Length;
        var folds = ShuffledStratifiedFolds(labels, options.Folds, RandomState);
        var scores = new double[options.Folds, options.Cs.Count];
        for (var f = 0; f < options.Folds; f++)
        {
            var trainRows = Enumerable.Range(0, n).Where(i => folds[i] != f).ToArray();
            var testRows = Enumerable.Range(0, n).Where(i => folds[i] == f).ToArray();
            var design = new ScaledDesign(activations, trainRows);
            var fold = f;
            // Every (fold, C) fit is independent: the Cs of a fold run in parallel on the fold's design.
            Parallel.For(0, options.Cs.Count, ci =>
            {
                var fit = Fit(design, trainRows, encoded, classes, options.Cs[ci], options);
                var predicted = L1LogisticRegression.Predict(design, testRows, fit);
                scores[fold, ci] = testRows.Where((row, i) => predicted[i] == encoded[row]).Count() / (double)testRows.Length;
            });
        }
        var means = new double[options.Cs.Count];
        for (var ci = 0; ci < means.Length; ci++)
        {
            var sum = 0.0;
            for (var f = 0; f < options.Folds; f++) sum += scores[f, ci];
            means[ci] = sum / options.Folds;
        }
        var best = 0;
        for (var ci = 1; ci < means.Length; ci++) if (means[ci] > means[best]) best = ci;

        var allRows = Enumerable.Range(0, n).ToArray();
        var all = new ScaledDesign(activations);
        var final = Fit(all, allRows, encoded, classes, options.Cs[best], options);
        var trainPredicted = L1LogisticRegression.Predict(all, allRows, final);
        var trainAccuracy = allRows.Count(i => trainPredicted[i] == encoded[i]) / (double)n;
        var featureScores = final.FeatureScores();
        var ranked = Enumerable.Range(0, featureScores.Length).OrderByDescending(j => featureScores[j]).ThenByDescending(j => j).Take(count).ToArray();
        var cv = new Dictionary<double, double>();
        for (var ci = 0; ci < options.Cs.Count; ci++) cv[options.Cs[ci]] = means[ci];
        return new LogisticSelectionResult(ranked, options.Cs[best], cv, featureScores.Count(s => s > 0), trainAccuracy, final.Iterations, final);
    }

    /// <summary>One fresh multinomial fit with balanced class weights; for two classes, the second logit only (as coef_ holds it).</summary>
    private static LogisticFit Fit(ScaledDesign design, int[] rows, long[] encoded, int classes, double c, L1LogisticOptions options)
    {
        var labels = rows.Select(i => encoded[i]).ToArray();
        var counts = new int[classes];
        foreach (var l in labels) counts[l]++;
        // compute_class_weight("balanced"): n / (C · n_c), over the classes of the whole problem.
        var weights = labels.Select(l => rows.Length / (double)(classes * counts[l])).ToArray();
        var state = new SagaState(rows.Length, design.Features, classes);
        var fit = L1LogisticRegression.Fit(design, rows, labels, classes, c, options.Tolerance, options.MaxIterations,
            new NumpyRandomState(RandomState), state, weights, multinomial: true);
        if (classes > 2) return fit;
        var second = new double[fit.Features, 1];
        for (var j = 0; j < fit.Features; j++) second[j, 0] = fit.Coefficients[j, 1];
        return fit with { Coefficients = second, Intercepts = [fit.Intercepts[1]] };
    }

    /// <summary>
    /// scikit-learn's StratifiedKFold(shuffle=True, random_state): the unshuffled allocation of
    /// <see cref="LogisticSelection.StratifiedFolds"/>, then per class (in order of first appearance) its fold list
    /// shuffled by one RandomState(seed) before being dealt to that class's samples in order.
    /// </summary>
    public static int[] ShuffledStratifiedFolds(IReadOnlyList<long> labels, int folds, int seed)
    {
        var order = new Dictionary<long, int>();
        foreach (var label in labels) order.TryAdd(label, order.Count);
        var encoded = labels.Select(l => order[l]).ToArray();
        var sorted = encoded.Order().ToArray();
        var allocation = new int[folds, order.Count];
        for (var i = 0; i < sorted.Length; i++) allocation[i % folds, sorted[i]]++;
        var rng = new NumpyRandomState(seed);
        var result = new int[labels.Count];
        for (var c = 0; c < order.Count; c++)
        {
            var foldOfRank = new List<int>();
            for (var f = 0; f < folds; f++) foldOfRank.AddRange(Enumerable.Repeat(f, allocation[f, c]));
            rng.Shuffle(foldOfRank);
            var rank = 0;
            for (var i = 0; i < labels.Count; i++)
                if (encoded[i] == c) result[i] = foldOfRank[rank++];
        }
        return result;
    }
}

using ClassifSae.Concepts.Sae;
using ClassifSae.Numerics;
using ClassifSae.Tests.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

public class LogisticSelectionTests
{
    /// <summary>
    /// Sparse non-negative "SAE codes": features 0…5 fire mostly for one class each (two per class), the other
    /// 54 fire at random; every feature is zero most of the time, like TopK codes.
    /// </summary>
    private static (Tensor X, long[] Y) Planted(int n, int classes, long seed)
    {
        var rng = new Random((int)seed);
        var f = 60;
        var data = new float[n * f];
        var y = new long[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = i % classes;
            for (var p = 0; p < 2; p++)
                if (rng.NextDouble() < 0.7) data[i * f + 2 * y[i] + p] = 1f + rng.NextSingle();
            for (var j = 2 * classes; j < f; j++)
                if (rng.NextDouble() < 0.15) data[i * f + j] = 1f + 2f * rng.NextSingle();
        }
        return (tensor(data, [n, f]), y);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void Finds_the_planted_informative_features_among_noise(int classes)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Planted(900, classes, 11);
        var result = LogisticSelection.Select(x, y, classes, 2 * classes, new L1LogisticOptions());
        Assert.Equal(Enumerable.Range(0, 2 * classes).ToArray(), result.Candidates.Order().ToArray());
        Assert.True(result.CvAccuracy[result.BestC] > 0.8, $"cv accuracy {result.CvAccuracy[result.BestC]}");
        Assert.True(result.NonZeroFeatures < 60, "the L1 penalty zeroed nothing");
    }

    [Fact]
    public void Sparse_and_dense_inputs_give_the_same_selection_and_it_is_deterministic()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Planted(600, 3, 5);
        var options = new L1LogisticOptions { Cs = [0.1] };
        var dense = LogisticSelection.Select(x, y, 3, 10, options);
        var again = LogisticSelection.Select(x, y, 3, 10, options);
        var sparse = LogisticSelection.Select(x.to_sparse(), y, 3, 10, options);
        Assert.Equal(dense.Candidates, again.Candidates);
        Assert.Equal(dense.Candidates, sparse.Candidates);
    }

    [Fact]
    public void Stratified_folds_follow_scikit_learn()
    {
        // StratifiedKFold(3).split on y = [0]*4 + [1]*6 puts these samples in folds:
        long[] y = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
        Assert.Equal([0, 0, 1, 2, 0, 0, 1, 1, 2, 2], LogisticSelection.StratifiedFolds(y, 3));
    }

    [Fact]
    public void Stratified_folds_equal_scikit_learns_on_the_fixture()
    {
        // stratified_folds.json: StratifiedKFold(k).split fold of every sample; several vectors whose first-appearance
        // class order differs from the label order (so numbering classes by value misplaces samples).
        foreach (var c in SklearnFixtures.Load("stratified_folds.json")["cases"]!.AsArray())
            Assert.Equal(c!["fold_of_sample"]!.Ints(), LogisticSelection.StratifiedFolds(c["labels"]!.Longs(), c["folds"]!.GetValue<int>()));
    }

    [Fact]
    public void A_strong_penalty_keeps_only_few_features_and_saga_converges()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Planted(600, 3, 2);
        var design = new ScaledDesign(x);
        var rows = Enumerable.Range(0, 600).ToArray();
        LogisticFit Fit(double c) => L1LogisticRegression.Fit(design, rows, y, 3, c, 1e-3, 1000, new NumpyRandomState(0), new SagaState(600, 60, 3));
        var weak = Fit(1.0);
        var strong = Fit(0.005);
        Assert.True(weak.Converged && strong.Converged, $"iterations {weak.Iterations}, {strong.Iterations}");
        Assert.True(strong.FeatureScores().Count(s => s > 0) < weak.FeatureScores().Count(s => s > 0));
        Assert.All(strong.FeatureScores().Select((s, j) => (s, j)).Where(p => p.s > 0), p => Assert.True(p.j < 6, $"noise feature {p.j} kept"));
    }

    public static TheoryData<int> SagaCases() => [0, 1, 2];

    /// <summary>
    /// logistic_selection.json: Pipeline(StandardScaler, LogisticRegressionCV(saga, l1, Cs (0.01, 0.1, 1), cv 3, tol 1e-3,
    /// random_state 0)) from scikit-learn 1.2.1 on data where stopping at tol 1e-3 selects other features than the
    /// optimum (exact_top20), so only saga's own steps and stopping rule give the expected z_class.
    /// </summary>
    [Theory]
    [MemberData(nameof(SagaCases))]
    public void The_selection_equals_scikit_learns_saga_on_the_fixture(int i)
    {
        using var scope = NewDisposeScope();
        var c = SklearnFixtures.Load("logistic_selection.json")["cases"]![i]!;
        var x = c["x"]!.Matrix();
        var y = c["y"]!.Longs();
        var classes = c["classes"]!.GetValue<int>();
        var result = LogisticSelection.Select(tensor(x).to(ScalarType.Float32), y, classes, 20, new L1LogisticOptions());

        Assert.Equal(c["C_"]!.GetValue<double>(), result.BestC);
        var foldScores = c["fold_scores"]!.Matrix();                 // [folds, Cs]
        foreach (var (cValue, ci) in new[] { 0.01, 0.1, 1 }.Select((v, ci) => (v, ci)))
            Assert.Equal(Enumerable.Range(0, 3).Sum(f => foldScores[f, ci]) / 3, result.CvAccuracy[cValue], 12);
        var coef = c["coef"]!.Matrix();
        var scale = 0.0;
        foreach (var v in coef) scale = Math.Max(scale, Math.Abs(v));
        for (var j = 0; j < coef.GetLength(0); j++)
        for (var k = 0; k < coef.GetLength(1); k++)
            Assert.True(Math.Abs(coef[j, k] - result.Final.Coefficients[j, k]) <= 1e-9 * scale,
                $"coef[{j},{k}] {result.Final.Coefficients[j, k]} vs scikit-learn {coef[j, k]}");
        Assert.Equal(c["intercept"]!.Doubles(), result.Final.Intercepts, (a, b) => Math.Abs(a - b) <= 1e-9 * scale);
        Assert.Equal(c["nonzero"]!.GetValue<int>(), result.NonZeroFeatures);
        Assert.Equal(c["top20"]!.Ints(), result.Candidates);
        Assert.NotEqual(c["exact_top20"]!.Ints(), result.Candidates);
    }
}

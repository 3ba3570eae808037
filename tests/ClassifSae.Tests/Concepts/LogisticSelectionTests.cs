using ClassifSae.Concepts.Sae;
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
    public void A_strong_penalty_keeps_only_few_features_and_fista_converges()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Planted(600, 3, 2);
        using var design = new StandardizedDesign(x);
        var weak = L1LogisticRegression.Fit(design, y, 3, 1.0, new L1LogisticOptions());
        var strong = L1LogisticRegression.Fit(design, y, 3, 0.005, new L1LogisticOptions());
        Assert.True(weak.Converged && strong.Converged, $"iterations {weak.Iterations}, {strong.Iterations}");
        Assert.True(strong.FeatureScores().Count(s => s > 0) < weak.FeatureScores().Count(s => s > 0));
        Assert.All(strong.FeatureScores().Select((s, j) => (s, j)).Where(p => p.s > 0), p => Assert.True(p.j < 6, $"noise feature {p.j} kept"));
    }
}

using ClassifSae.Settings;
using ClassifSae.Concepts;
using ClassifSae.Concepts.Sae;
using ClassifSae.Tests.Fixtures;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>
/// Upstream's plain-SAE selection (spec 04 §5.4) against scikit-learn 1.2's GridSearchCV itself
/// (build/tools/make_sklearn_fixtures.py, grid_search_selection.json): 4, 2 and 3 classes, the last imbalanced
/// (44/33/35/38, 66/54 and 78/40/13 rows) so the balanced class weights matter. scikit-learn ran on the float32 codes
/// (sag32, as upstream's activations are fp32) and on the same values as float64 (sag64); both chose the same.
/// </summary>
public class GridSearchSelectionTests
{
    private static readonly double[] Grid = [0.01, 0.1, 1.0];

    public static TheoryData<int> Cases => [0, 1, 2];

    private static (Tensor X, long[] Y, System.Text.Json.Nodes.JsonNode Case) Load(int index)
    {
        var c = SklearnFixtures.Load("grid_search_selection.json")["cases"]![index]!;
        var m = c["x"]!.Matrix();
        var data = new float[m.Length];
        for (var i = 0; i < m.GetLength(0); i++)
        for (var j = 0; j < m.GetLength(1); j++) data[i * m.GetLength(1) + j] = (float)m[i, j];
        return (tensor(data, [m.GetLength(0), m.GetLength(1)]), c["y"]!.Longs(), c);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Shuffled_stratified_folds_equal_scikit_learns(int index)
    {
        var (_, y, c) = Load(index);
        Assert.Equal(c["fold_of_sample"]!.Ints(), GridSearchSelection.ShuffledStratifiedFolds(y, 3, 42));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_selection_equals_scikit_learns(int index)
    {
        using var scope = NewDisposeScope();
        var (x, y, c) = Load(index);
        var result = GridSearchSelection.Select(x, y, 20, new L1LogisticOptions { Cs = Grid });
        foreach (var version in new[] { "float32", "float64" })
        {
            var expected = c[version]!;
            Assert.Equal(expected["best_C"]!.GetValue<double>(), result.BestC);
            Assert.Equal(expected["mean_test_score"]!.Doubles(), Grid.Select(g => result.CvAccuracy[g]).ToArray());
            Assert.Equal(expected["top20"]!.Ints(), result.Candidates);
            Assert.Equal(expected["n_iter"]!.Ints()[0], result.Iterations);
            var coef = expected["coef"]!.Matrix();                   // [K', F]
            var intercept = expected["intercept"]!.Doubles();
            var fit = result.Final;
            Assert.Equal(coef.GetLength(0), fit.Intercepts.Length);
            for (var o = 0; o < coef.GetLength(0); o++)
            {
                Assert.True(Math.Abs(intercept[o] - fit.Intercepts[o]) < 1e-4, $"{version} intercept {o}: {fit.Intercepts[o]} vs {intercept[o]}");
                for (var j = 0; j < coef.GetLength(1); j++)
                    Assert.True(Math.Abs(coef[o, j] - fit.Coefficients[j, o]) < 1e-4,
                        $"{version} coef[{o},{j}]: {fit.Coefficients[j, o]} vs {coef[o, j]}");
            }
        }
    }

    [Fact]
    public void The_plain_sae_settings_pick_the_probe_by_version()
    {
        using var scope = NewDisposeScope();
        var (x, y, c) = Load(2);
        var upstream = new SaeBaselineSettings { Version = MethodVersion.Upstream2026 }.SelectConcepts(x, y, 3);
        Assert.Equal(c["float32"]!["top20"]!.Ints(), upstream.Candidates);
        var paper = new SaeBaselineSettings().SelectConcepts(x, y, 3);
        Assert.Equal(LogisticSelection.Select(x, y, 3, 20, new L1LogisticOptions()).Candidates, paper.Candidates);
        Assert.NotEqual(upstream.Candidates, paper.Candidates);
    }
}

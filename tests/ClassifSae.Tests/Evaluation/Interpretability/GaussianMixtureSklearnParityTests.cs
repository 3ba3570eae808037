using ClassifSae.Evaluation.Interpretability;
using ClassifSae.Numerics;
using ClassifSae.Tests.Fixtures;

namespace ClassifSae.Tests.Evaluation.Interpretability;

/// <summary>
/// Against gmm_activating_sets.json: scikit-learn 1.2.1's GaussianMixture(2, n_init=10, random_state=0) on 1-D
/// columns where initialising from 2-means run to exact convergence gives another activating set
/// (exact_kmeans_active) than KMeans' tolerance stop does.
/// </summary>
public class GaussianMixtureSklearnParityTests
{
    public static TheoryData<int> Cases() => [0, 1, 2, 3, 4, 5];

    private static System.Text.Json.Nodes.JsonNode Case(int i) => SklearnFixtures.Load("gmm_activating_sets.json")["cases"]![i]!;

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_first_two_means_labels_equal_kmeans(int i)
    {
        var c = Case(i);
        Assert.Equal(c["first_kmeans_labels"]!.Ints(), TwoMeans1D.Labels(c["x"]!.Doubles(), new NumpyRandomState(0)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mixture_and_activating_set_equal_scikit_learns(int i)
    {
        var c = Case(i);
        var x = c["x"]!.Doubles();
        var gmm = GaussianMixture1D.Fit(x);
        Assert.Equal(c["weights"]!.Doubles(), gmm.Weights, (a, b) => Math.Abs(a - b) <= 1e-9);
        Assert.Equal(c["means"]!.Doubles(), gmm.Means, (a, b) => Math.Abs(a - b) <= 1e-9);
        Assert.Equal(c["variances"]!.Doubles(), gmm.Variances, (a, b) => Math.Abs(a - b) <= 1e-9);
        Assert.Equal(c["lower_bound"]!.GetValue<double>(), gmm.LowerBound, 9);
        var active = gmm.Active(x);
        Assert.Equal(c["active"]!.Ints(), Enumerable.Range(0, x.Length).Where(j => active[j]));
    }
}

using ClassifSae.Evaluation.Interpretability;

namespace ClassifSae.Tests.Evaluation.Interpretability;

public class GaussianMixture1DTests
{
    private static double[] Normal(int n, double mean, double sd, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
            mean + sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())).ToArray();
    }

    [Fact]
    public void Two_well_separated_clusters_are_recovered_and_the_high_one_is_active()
    {
        var low = Normal(300, 0, 0.1, 1);
        var high = Normal(100, 5, 0.5, 2);
        var x = low.Concat(high).ToArray();
        var gmm = GaussianMixture1D.Fit(x);
        var h = gmm.HighComponent;
        Assert.Equal(5, gmm.Means[h], 1);
        Assert.Equal(0, gmm.Means[1 - h], 1);
        Assert.Equal(0.25, gmm.Weights[h], 3);
        Assert.Equal(low.Select(v => (v - low.Average()) * (v - low.Average())).Average() + GaussianMixture1D.RegCovar, gmm.Variances[1 - h], 6);
        var active = gmm.Active(x);
        Assert.Equal(Enumerable.Repeat(false, 300).Concat(Enumerable.Repeat(true, 100)), active);
    }

    [Fact]
    public void A_wide_lower_mean_component_claims_the_most_extreme_value_as_the_original_does()
    {
        // Spec 02 §6.4 [quirk]: posteriors depend on the variances, so a far outlier can be "inactive".
        var wide = Normal(300, 0, 3, 3);
        var narrow = Normal(300, 1, 0.05, 4);
        var gmm = GaussianMixture1D.Fit(wide.Concat(narrow).ToArray());
        Assert.Equal(1, gmm.Means[gmm.HighComponent], 0);
        Assert.Equal(new[] { true, false }, gmm.Active([1.0, 12.0]));
    }

    [Fact]
    public void Sparse_activations_split_zeros_from_firing_sentences()
    {
        var x = Enumerable.Repeat(0.0, 90).Concat(Normal(10, 2, 0.3, 5)).ToArray();
        var active = GaussianMixture1D.Fit(x).Active(x);
        Assert.Equal(Enumerable.Range(90, 10), Enumerable.Range(0, 100).Where(i => active[i]));
    }

    [Fact]
    public void Fitting_is_deterministic()
    {
        var x = Normal(200, 0, 1, 6).Concat(Normal(50, 2, 1, 7)).ToArray();
        var a = GaussianMixture1D.Fit(x);
        var b = GaussianMixture1D.Fit(x);
        Assert.Equal(a.Means, b.Means);
        Assert.Equal(a.LowerBound, b.LowerBound);
    }
}

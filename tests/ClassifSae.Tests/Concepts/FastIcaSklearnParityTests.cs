using ClassifSae.Concepts.Ica;
using ClassifSae.Tests.Fixtures;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>Against fastica.json: scikit-learn's FastICA components_/mixing_ for three seeds, signs and order included.</summary>
public class FastIcaSklearnParityTests
{
    public static TheoryData<int> Cases() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Components_and_mixing_equal_scikit_learns_for_the_same_seed(int i)
    {
        using var scope = NewDisposeScope();
        var fixture = SklearnFixtures.Load("fastica.json");
        var c = fixture["cases"]![i]!;
        var x = fixture["x"]!.Matrix();
        var xt = tensor(x).to(ScalarType.Float32);
        using var ica = FastIca.Fit(xt, new IcaSettings { Components = c["components"]!.GetValue<int>() }, c["seed"]!.GetValue<long>());
        AssertClose(c["components_"]!.Matrix(), ica.Components, "components_");
        AssertClose(c["mixing_"]!.Matrix(), ica.Mixing, "mixing_");
        Assert.Equal(c["n_iter"]!.GetValue<int>(), ica.Iterations);
    }

    private static void AssertClose(double[,] expected, Tensor actual, string what)
    {
        var a = actual.to(ScalarType.Float64);
        var e = tensor(expected);
        Assert.Equal(e.shape, a.shape);
        var error = ((a - e).abs().max() / e.abs().max()).item<double>();
        Assert.True(error < 1e-6, $"{what}: max deviation {error:E2} of the largest entry");
    }
}

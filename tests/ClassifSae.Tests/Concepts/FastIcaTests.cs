using ClassifSae.Concepts.Ica;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

public class FastIcaTests
{
    /// <summary>Four independent non-Gaussian sources (uniform, Laplace, square wave, skewed exponential) mixed into d = 6.</summary>
    private static (Tensor X, Tensor S) Mixed(int n, long seed)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        var t = arange(n, dtype: ScalarType.Float32);
        var uniform = rand([n], generator: g) * 2 - 1;
        var u = rand([n], generator: g) - 0.5;
        var laplace = -u.sign() * (1 - 2 * u.abs()).clamp_min(1e-7).log();
        var square = (t * 0.05f).sin().sign();
        var skewed = -(rand([n], generator: g).clamp_min(1e-7)).log() - 1;
        var s = stack([uniform, laplace, square, skewed], 1);
        s = (s - s.mean([0])) / s.std(0);
        var mixing = randn([4, 6], generator: g);
        var x = s.matmul(mixing) + 3 + randn([n, 6], generator: g) * 0.01;
        return (x.MoveToOuterDisposeScope(), s.MoveToOuterDisposeScope());
    }

    [Fact]
    public void Unmixes_independent_non_gaussian_sources()
    {
        using var scope = NewDisposeScope();
        var (x, s) = Mixed(5000, 7);
        using var ica = FastIca.Fit(x, new IcaSettings { Components = 4 }, seed: 42);
        Assert.True(ica.Converged, $"not converged after {ica.Iterations} iterations");
        var recovered = ica.Encode(x);
        var corr = Correlations(s, recovered);                   // [4 sources, 4 components]
        for (var i = 0; i < 4; i++)
        {
            var best = corr[i].abs().max().item<float>();
            Assert.True(best > 0.95, $"source {i}: best |corr| {best:F3}");
        }
        // Unit variance: every source has population std 1.
        var std = recovered.std(0, unbiased: false);
        Assert.True((std - 1).abs().max().item<float>() < 1e-3, $"std {string.Join(",", std.data<float>().ToArray())}");
    }

    [Fact]
    public void Reconstruction_with_all_components_is_the_projection_on_the_top_principal_subspace()
    {
        using var scope = NewDisposeScope();
        var (x, _) = Mixed(2000, 3);
        using var ica = FastIca.Fit(x, new IcaSettings { Components = 4 }, seed: 42);
        var xhat = ica.Decode(ica.Encode(x));
        // The data lie (up to 0.01 noise) in a 4-dimensional affine subspace, so the projection is nearly exact.
        Assert.True((xhat - x).abs().max().item<float>() < 0.1);
        // A different w_init gives the same reconstruction (spec 02 §2.1: RAcc does not depend on the RNG).
        using var other = FastIca.Fit(x, new IcaSettings { Components = 3 }, seed: 1);
        using var other2 = FastIca.Fit(x, new IcaSettings { Components = 3 }, seed: 2);
        Assert.True((other.Decode(other.Encode(x)) - other2.Decode(other2.Encode(x))).abs().max().item<float>() < 1e-3);
    }

    [Fact]
    public void Is_deterministic_for_a_seed()
    {
        using var scope = NewDisposeScope();
        var (x, _) = Mixed(1000, 5);
        using var a = FastIca.Fit(x, new IcaSettings { Components = 4 }, seed: 9);
        using var b = FastIca.Fit(x, new IcaSettings { Components = 4 }, seed: 9);
        Assert.True(a.Components.IsEqual(b.Components));
    }

    private static Tensor Correlations(Tensor a, Tensor b)
    {
        var za = (a - a.mean([0])) / a.std(0, unbiased: false);
        var zb = (b - b.mean([0])) / b.std(0, unbiased: false);
        return za.t().matmul(zb) / a.size(0);
    }
}

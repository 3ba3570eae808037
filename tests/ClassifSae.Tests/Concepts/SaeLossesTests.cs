using ClassifSae.Concepts.Sae;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

public class SaeLossesTests
{
    private static Tensor T(float[] values, params long[] shape) => tensor(values, shape);

    [Fact]
    public void DenseBatchMse_uses_the_unsquared_norm_of_the_centred_clean_target()
    {
        using var scope = NewDisposeScope();
        var x = T([1, 0, 0, 1, 1, 1, 2, 0], 4, 2);
        var diff = T([1, 0, 0, 0, 0, 2, 1, 1], 4, 2);
        // x̄ = (1, 0.5); centred rows (0,-.5), (-1,.5), (0,.5), (1,-.5); L2 norms .5, √1.25, .5, √1.25.
        double n0 = 0.5 + 1e-6, n1 = Math.Sqrt(1.25) + 1e-6;
        var expected = 0.5 / 4 * (1 / n0 + 0 / n1 + 4 / n0 + 2 / n1);
        var e = SaeLosses.DenseBatchMseElements(x + diff, x, lambdaMse: 0.5);
        Assert.Equal(0.5 * 4 / n0, e[2, 1].item<float>(), 4);
        Assert.Equal(expected, SaeLosses.DenseBatchMse(e).item<float>(), 4);
    }

    [Fact]
    public void ActivationRateLoss_penalises_only_entries_outside_each_features_top_m()
    {
        using var scope = NewDisposeScope();
        // B = 4, τ = 0.5 → m = 2. Column 0 = (3,1,2,0): outside top-2 sum = 1. Column 1 = (0,5,0,4): 0.
        var z = T([3, 0, 1, 5, 2, 0, 0, 4], 4, 2).requires_grad_();
        Assert.Equal(2, SaeLosses.ActivationRateTopM(4, 0.5));
        Assert.Equal(50, SaeLosses.ActivationRateTopM(500, 0.1));
        var loss = SaeLosses.ActivationRateLoss(z, lambdaAr: 2, tau: 0.5);
        Assert.Equal(2.0 / 4 * 1, loss.item<float>(), 6);
        loss.backward();
        // Gradient λ/B at the non-top entries only.
        var expectedGrad = T([0, 0.5f, 0.5f, 0, 0, 0.5f, 0.5f, 0], 4, 2);
        Assert.True(z.grad!.allclose(expectedGrad));
    }

    [Fact]
    public void ActivationRateLoss_is_zero_when_features_fire_on_at_most_m_samples()
    {
        using var scope = NewDisposeScope();
        var z = zeros(10, 3);
        z[0, 0] = tensor(4f);
        z[3, 1] = tensor(1f);
        Assert.Equal(0f, SaeLosses.ActivationRateLoss(z, 1, 0.1).item<float>());
    }

    [Fact]
    public void ClassifierLoss_is_weighted_mean_cross_entropy()
    {
        using var scope = NewDisposeScope();
        var logits = T([2, 0, 0, 1], 2, 2);
        var y = tensor(new long[] { 0, 0 });
        var expected = 0.5 * (Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.E));
        Assert.Equal(3 * expected, SaeLosses.ClassifierLoss(logits, y, 3).item<float>(), 5);
    }

    [Fact]
    public void GhostGradLoss_matches_a_hand_computed_case()
    {
        using var scope = NewDisposeScope();
        // One dead feature, exp(h) = (1, 2), decoder row (1,0): G_raw = ((1,0),(2,0)). R = ((2,0),(0,2)), ‖R‖ = 2.
        // s = (≈1, ≈0.5), G = ((1,0),(1,0)). R − R̄ = ((1,-1),(-1,1)), norms √2.
        // g = ((1,0),(1,4))/√2; with e = 0.5 everywhere, ρ·g = 0.5·g/(g+1e-6) ≈ 0.5 where g > 0 → mean = 1.5/4.
        var h = T([0, (float)Math.Log(2)], 2, 1);
        var wDec = T([1, 0], 1, 2);
        var r = T([2, 0, 0, 2], 2, 2);
        var e = full(2, 2, 0.5f);
        Assert.Equal(0.375, SaeLosses.GhostGradLoss(h, wDec, r, e).item<float>(), 4);
    }

    [Fact]
    public void GhostGradLoss_has_no_gradient_without_dead_features()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(new SaeShape(6, 12, 2, 3, 2), seed: 1);
        using var g = new Generator(3);
        var x = randn([5, 6], generator: g);
        var enc = sae.Encode(x);
        var xHat = sae.Decode(enc.Z, enc.Scale);
        var e = SaeLosses.DenseBatchMseElements(xHat, x, 1);
        var none = zeros(0, dtype: ScalarType.Int64);
        var loss = SaeLosses.GhostGradLoss(zeros([5, 0L]), sae.WDec.index_select(0, none), x - xHat, e);
        Assert.True(float.IsFinite(loss.item<float>()));
        if (loss.requires_grad) loss.backward();
        foreach (var p in sae.parameters())
            Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0f);
    }

    [Fact]
    public void GhostGrads_through_the_objective_reach_only_dead_encoder_columns()
    {
        using var scope = NewDisposeScope();
        var shape = new SaeShape(6, 12, 2, 3, 2);
        using var sae = new TopKSae(shape, seed: 1);
        using var g = new Generator(4);
        var x = randn([8, 6], generator: g);
        var dead = zeros(12, dtype: ScalarType.Bool);
        dead[5] = tensor(true);
        // Only the ghost term: λ_mse = 0 would zero ρ, so keep λ_mse but inspect columns the TopK never selected.
        var weights = new LossWeights(1, 0, 0, 1);
        var outNo = SaeObjective.TrainingForward(sae, x, x, zeros(8, dtype: ScalarType.Int64), zeros(12, dtype: ScalarType.Bool), 1, weights, true);
        if (outNo.Losses.Ghost.requires_grad) outNo.Losses.Ghost.backward();
        Assert.True(sae.WEnc.grad is null || sae.WEnc.grad.abs().sum().item<float>() == 0f);
        sae.zero_grad();
        var outDead = SaeObjective.TrainingForward(sae, x, x, zeros(8, dtype: ScalarType.Int64), dead, 1, weights, true);
        outDead.Losses.Ghost.backward();
        var colNorms = sae.WEnc.grad!.abs().sum(dim: 0);
        Assert.True(colNorms[5].item<float>() > 0);
        Assert.Equal(colNorms[5].item<float>(), colNorms.sum().item<float>(), 5);
        Assert.True(sae.WDec.grad!.abs().sum(-1)[5].item<float>() > 0);
    }

    [Fact]
    public void GhostGradLoss_stays_finite_when_exp_would_overflow()
    {
        using var scope = NewDisposeScope();
        var h = full(3, 2, 500f).requires_grad_();
        var wDec = T([1, 0, 1, 0], 2, 2).requires_grad_();
        var r = T([1, 2, 3, 4, 5, 6], 3, 2);
        var loss = SaeLosses.GhostGradLoss(h, wDec, r, full(3, 2, 0.1f));
        loss.backward();
        Assert.True(float.IsFinite(loss.item<float>()));
        Assert.True(isfinite(h.grad!).all().item<bool>());
        Assert.True(isfinite(wDec.grad!).all().item<bool>());
    }

    [Fact]
    public void Combine_decays_reconstruction_terms_only_for_ClassifSae()
    {
        using var scope = NewDisposeScope();
        Tensor mse = tensor(1f), ar = tensor(2f), cls = tensor(4f), ghost = tensor(8f);
        var classif = new LossWeights(0.1, 0.1, 1, 0.1);
        Assert.Equal(0.25 * 11 + 4, SaeObjective.Combine(mse, ar, cls, ghost, 0.25, classif).item<float>(), 5);
        var baseline = new LossWeights(1, 0, 0, 1);
        Assert.False(baseline.IsClassifSae);
        Assert.Equal(11f, SaeObjective.Combine(mse, ar, zeros([]), ghost, 0.25, baseline).item<float>(), 5);
    }
}

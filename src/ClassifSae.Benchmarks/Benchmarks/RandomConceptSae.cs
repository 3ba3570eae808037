using ClassifSae.Concepts.Sae;
using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// A random TopK SAE whose first n_concepts features (the ClassifSAE z_class) fire on about a given share of the given
/// states. The cost of a conditional ablation is proportional to how often each concept is active, so a random SAE with
/// its ≈ k/d_sae rates would make the evaluation look k/(d_sae·τ) times cheaper than it is.
/// </summary>
internal static class RandomConceptSae
{
    private const int Rounds = 4;

    public static TopKSae Create(SaeShape shape, Tensor hidden, double activationRate, long seed)
    {
        var sae = new TopKSae(shape, seed);
        using var _ = no_grad();
        var n = shape.NConcepts;
        var row = (long)Math.Clamp(Math.Round(activationRate * hidden.size(0)), 0, hidden.size(0) - 1);
        // The concepts compete for the k slots with one another too, so the shift is re-estimated a few times.
        for (var round = 0; round < Rounds; round++)
        {
            using var scope = NewDisposeScope();
            var pre = sae.PreActivation(hidden, sae.RescaleCoefficient(hidden));                 // [N, d_sae]
            var top = pre.topk(shape.K + 1, dim: 1).values;
            var (kth, next) = (top.narrow(1, shape.K - 1, 1), top.narrow(1, shape.K, 1));
            var concepts = pre.narrow(1, 0, n);
            // Concept j is in a row's TopK iff it beats the k-th largest of the OTHER features there: the (k+1)-th
            // largest if j is itself among the top k, else the k-th.
            var threshold = where(concepts >= kth, next, kth);
            // h_j + s > threshold ⟺ gap_j < s: shifting b_enc[j] by the τ quantile of its gap makes j fire on a share τ.
            var gap = (threshold - concepts).sort(0).Values;
            sae.BEnc.narrow(0, 0, n).add_(gap[row]);
        }
        return sae;
    }
}

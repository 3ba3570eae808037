using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// The loss terms of spec 01 §3.4, each a pure function of its inputs so it can be checked by hand.
/// Every term already includes its λ, as in the original code.
/// </summary>
public static class SaeLosses
{
    /// <summary>
    /// Per-element "dense_batch" MSE e_ij = λ_mse·(x̂_ij − x_ij)² / (‖x_i − x̄‖₂ + 1e-6), with x̄ the batch mean of the
    /// clean target. The normaliser is the L2 norm, NOT its square (faithful to SAELens 3.13, spec §3.14.5).
    /// </summary>
    public static Tensor DenseBatchMseElements(Tensor reconstruction, Tensor target, double lambdaMse)
    {
        // The per-row factor λ/(‖x_i − x̄‖ + 1e-6) is only [B,1]: folding λ into it leaves two passes over [B,d] (square, scale).
        var norm = linalg.vector_norm(target - target.mean([0], keepdim: true), 2, [-1], keepdim: true) + 1e-6;
        return (reconstruction - target).square() * (lambdaMse / norm);
    }

    /// <summary>L_mse = (1/B)·Σ_i Σ_j e_ij.</summary>
    public static Tensor DenseBatchMse(Tensor msePerElement) => msePerElement.sum(-1).mean();

    /// <summary>m = floor(B·τ): how many samples per feature are exempt from the activation-rate penalty.</summary>
    public static int ActivationRateTopM(long batchSize, double tau) => (int)Math.Floor(batchSize * tau);

    /// <summary>
    /// L_AR = λ_AR·(1/B)·Σ_j Σ_{i∉T_j} Z_ij where T_j are the m = floor(B·τ) largest entries of column j,
    /// selected without gradient. A feature active on at most m samples contributes 0.
    /// </summary>
    public static Tensor ActivationRateLoss(Tensor z, double lambdaAr, double tau)
    {
        var batch = z.shape[0];
        var m = (int)Math.Min(ActivationRateTopM(batch, tau), batch);
        var outside = ones_like(z);
        if (m > 0)
        {
            using var _ = no_grad();
            var top = z.detach().topk(m, dim: 0).indexes;
            outside = outside.scatter(0, top, zeros_like(top, dtype: z.dtype));
        }
        return (z * outside).sum() / batch * lambdaAr;
    }

    /// <summary>
    /// <see cref="ActivationRateLoss"/> for the codes of a TopK SAE, given how many samples each feature fires on
    /// (<paramref name="firingCounts"/> [d_sae], the statistics' count of Z &gt; 0). A feature firing on at most m samples has
    /// all its non-zero entries in its top m, so it contributes 0; only the few features firing on more are ranked (instead
    /// of a top-m over every column of [B, d_sae]), and L = Σ_those (Σ_i Z_ij − Σ_top-m Z_ij)·λ/B, which has gradient λ/B
    /// outside the top m and exactly 0 inside it. Same value as <see cref="ActivationRateLoss"/> up to float rounding, and
    /// the same gradient on every entry that can reach a parameter: it differs only on zero entries of the skipped columns,
    /// which are either outside the TopK or a ReLU'd zero, both without gradient to the SAE.
    /// </summary>
    public static Tensor ActivationRateLossFromCounts(Tensor z, Tensor firingCounts, double lambdaAr, double tau)
    {
        var batch = z.shape[0];
        var m = (int)Math.Min(ActivationRateTopM(batch, tau), batch);
        if (m == 0) return z.sum() / batch * lambdaAr;
        var columns = firingCounts.gt(m).nonzero().reshape(-1);
        var ranked = z.index_select(1, columns);                                  // [B, |columns|], usually a few
        var top = ranked.topk(m, dim: 0).values;
        return (ranked.sum() - top.sum()) / batch * lambdaAr;
    }

    /// <summary>L_cls = λ_cls·CE(logits, y), mean over the batch; y are the LLM-predicted labels.</summary>
    public static Tensor ClassifierLoss(Tensor logits, Tensor labels, double lambdaCls) =>
        nn.functional.cross_entropy(logits, labels) * lambdaCls;

    /// <summary>
    /// Ghost-grads loss (spec §3.4e). <paramref name="cleanHiddenPreDead"/> is H_clean[:, D] [B,|D|] from a second encode
    /// of the clean input, <paramref name="decoderRowsDead"/> is W_dec[D,:] [|D|,d_in], <paramref name="residual"/> is
    /// R = X − X̂ (with gradient through X̂), and <paramref name="msePerElement"/> is e from
    /// <see cref="DenseBatchMseElements"/>. With no dead feature (|D| = 0) the value is a constant without gradient.
    /// </summary>
    public static Tensor GhostGradLoss(Tensor cleanHiddenPreDead, Tensor decoderRowsDead, Tensor residual, Tensor msePerElement)
    {
        // Clamping at 88 keeps exp() finite in fp32; it never changes a case where the original was finite.
        var ghostRaw = cleanHiddenPreDead.clamp_max(88.0).exp().matmul(decoderRowsDead);
        Tensor scale;
        using (no_grad())
        {
            // Plain sum of squares: if ‖G_raw,i‖ overflows to +inf, s_i = 0 and the row gets no ghost gradient (as the original).
            var ghostNorm = ghostRaw.detach().pow(2).sum(-1, keepdim: true).sqrt();
            var residualNorm = residual.detach().pow(2).sum(-1, keepdim: true).sqrt();
            scale = residualNorm / (ghostNorm * 2 + 1e-6);
        }
        // Rows with s_i = 0 are set to 0 explicitly, so that 0·inf cannot turn into NaN.
        var ghost = where(scale == 0, zeros_like(ghostRaw), ghostRaw * scale);
        var target = residual.detach();
        var ghostMse = DenseBatchMseElements(ghost, target, 1.0);
        Tensor rescale;
        using (no_grad())
            rescale = msePerElement.detach() / (ghostMse.detach() + 1e-6);
        return (rescale * ghostMse).mean();
    }
}

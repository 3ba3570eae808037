using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>The loss terms of one training step; each already carries its λ (spec 01 §3.4).</summary>
public sealed record SaeLossTerms(Tensor Mse, Tensor ActivationRate, Tensor Classifier, Tensor Ghost, Tensor Total);

/// <summary>
/// Output of <see cref="SaeObjective.TrainingForward"/>: the losses and the noised-input encoding (for statistics), with what
/// the step's bookkeeping would otherwise recompute: <see cref="FiringCounts"/> [d_sae] int64, the number of samples with
/// Z &gt; 0 per feature, and the classifier head's logits (null for the baseline SAE, which has no classifier loss).
/// </summary>
public sealed record SaeStepOutput(SaeLossTerms Losses, SaeEncoding Encoding, Tensor Reconstruction, Tensor FiringCounts, Tensor? ClassifierLogits);

/// <summary>The training forward pass and total objective of spec 01 §3.3–§3.5.</summary>
public static class SaeObjective
{
    /// <summary>
    /// ClassifSAE (λ_cls &gt; 0): L = w(e)·(L_AR + L_mse + L_ghost) + L_cls.
    /// Baseline SAE (λ_cls = 0): L = L_mse + L_ghost + L_AR, no decay.
    /// </summary>
    public static Tensor Combine(Tensor mse, Tensor activationRate, Tensor classifier, Tensor ghost, double decayWeight, LossWeights weights) =>
        weights.IsClassifSae
            ? (activationRate + mse + ghost) * decayWeight + classifier
            : mse + ghost + activationRate;

    /// <summary>
    /// Encodes the NOISED input, decodes, and compares with the CLEAN input. <paramref name="deadMask"/> [d_sae] bool
    /// selects the ghost-grad features; ghost grads use the pre-activation of a second, clean encode.
    /// </summary>
    public static SaeStepOutput TrainingForward(
        TopKSae sae, Tensor x, Tensor xNoised, Tensor labels, Tensor deadMask, double decayWeight, LossWeights weights, bool useGhostGrads,
        bool sparseDecoder = true)
    {
        var (enc, codes) = sae.EncodeWithCodes(xNoised);
        // The sparse decoder skips the zeros of Z: same x̂ as Decode(Z) up to rounding, a fraction of the work.
        var xHat = sparseDecoder ? sae.DecodeSparse(codes, enc.Scale) : sae.Decode(enc.Z, enc.Scale);
        var msePerElement = SaeLosses.DenseBatchMseElements(xHat, x, weights.LambdaMse);
        var mse = SaeLosses.DenseBatchMse(msePerElement);
        Tensor firingCounts;
        using (no_grad()) firingCounts = enc.Z.detach().gt(0).sum(dim: 0);
        var activationRate = weights.LambdaAR > 0
            ? SaeLosses.ActivationRateLossFromCounts(enc.Z, firingCounts, weights.LambdaAR, weights.Tau)
            : zeros([], device: x.device);
        var classifierLogits = weights.IsClassifSae ? sae.ClassifierLogits(enc.Z) : null;
        var classifier = classifierLogits is not null
            ? SaeLosses.ClassifierLoss(classifierLogits, labels, weights.LambdaCls)
            : zeros([], device: x.device);
        var ghost = useGhostGrads ? Ghost(sae, x, xHat, msePerElement, deadMask) : zeros([], device: x.device);
        var total = Combine(mse, activationRate, classifier, ghost, decayWeight, weights);
        return new SaeStepOutput(new SaeLossTerms(mse, activationRate, classifier, ghost, total), enc, xHat, firingCounts, classifierLogits);
    }

    internal static Tensor Ghost(TopKSae sae, Tensor x, Tensor xHat, Tensor msePerElement, Tensor deadMask)
    {
        var dead = deadMask.nonzero().reshape(-1);
        if (dead.shape[0] == 0)
        {
            // No dead feature: the term is a constant without gradient (GhostGradLoss_has_no_gradient_without_dead_features),
            // so it is evaluated outside the graph and the backward pass skips its dozen [B, d] kernels. No clean encode either.
            using var _ = no_grad();
            return SaeLosses.GhostGradLoss(zeros([x.shape[0], 0L], device: x.device), sae.WDec.detach().index_select(0, dead), (x - xHat).detach(), msePerElement.detach());
        }
        // Only the dead columns of the clean pre-activation are used, so only they are computed.
        var hiddenDead = sae.PreActivationColumns(x, sae.RescaleCoefficient(x), dead);
        return SaeLosses.GhostGradLoss(hiddenDead, sae.WDec.index_select(0, dead), x - xHat, msePerElement);
    }
}

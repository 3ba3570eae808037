using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// ClassifSAE v2, the authors' current objective (spec 04 §4.1–§4.2, upstream bc50f40), selected by
/// <c>method_version = upstream-2026</c>. Against the paper's (<see cref="SaeObjective"/>): no input noise, no decay,
/// every λ outside its term, L = λ_mse·(L_mse + L_ghost) + λ_AR·L_AR + λ_cls·L_cls, and from epoch E//2 on z_class is
/// detached on its way into the decoder, so the reconstruction no longer trains the concept units' encoder columns (W_dec
/// rows 0…n−1 and b_dec still learn from it). The detach is unconditional, so it also hits the plain SAE (spec 04 §8.10).
/// </summary>
public static class UpstreamObjective
{
    /// <summary>e ≥ E//2 (integer division): the steps from this epoch on decode a detached z_class (spec 04 §4.5).</summary>
    public static bool DetachesConcepts(int epoch, int totalEpochs) => epoch >= totalEpochs / 2;

    /// <summary>L = λ_mse·(L_mse + L_ghost) + λ_AR·L_AR + λ_cls·L_cls from the λ-free terms.</summary>
    public static Tensor Combine(Tensor mse, Tensor activationRate, Tensor classifier, Tensor ghost, LossWeights weights) =>
        (mse + ghost) * weights.LambdaMse + activationRate * weights.LambdaAR + classifier * weights.LambdaCls;

    /// <summary>
    /// Encodes the clean input, decodes (with z_class detached when <paramref name="detachConcepts"/>), and returns the terms
    /// each multiplied by its λ (as the paper's objective reports them) with the total of <see cref="Combine"/>.
    /// </summary>
    public static SaeStepOutput TrainingForward(
        TopKSae sae, Tensor x, Tensor labels, Tensor deadMask, bool detachConcepts, LossWeights weights, bool useGhostGrads, bool sparseDecoder = true)
    {
        var (enc, codes) = sae.EncodeWithCodes(x);
        var n = sae.Shape.NConcepts;
        var xHat = sparseDecoder
            ? sae.DecodeSparse(detachConcepts ? DetachConcepts(codes, n) : codes, enc.Scale)
            : sae.Decode(detachConcepts ? DetachConcepts(enc.Z, n) : enc.Z, enc.Scale);
        var msePerElement = SaeLosses.DenseBatchMseElements(xHat, x, 1.0);
        var mse = SaeLosses.DenseBatchMse(msePerElement);
        Tensor firingCounts;
        using (no_grad()) firingCounts = enc.Z.detach().gt(0).sum(dim: 0);
        var activationRate = weights.LambdaAR > 0
            ? SaeLosses.ActivationRateLossFromCounts(enc.Z, firingCounts, 1.0, weights.Tau)
            : zeros([], device: x.device);
        var classifierLogits = weights.IsClassifSae ? sae.ClassifierLogits(enc.Z) : null;
        var classifier = classifierLogits is not null ? SaeLosses.ClassifierLoss(classifierLogits, labels, 1.0) : zeros([], device: x.device);
        // The ghost term is built from the λ-free e and weighted by λ_mse outside: the same as the paper's λ-scaled ratio.
        var ghost = useGhostGrads ? SaeObjective.Ghost(sae, x, xHat, msePerElement, deadMask) : zeros([], device: x.device);
        var total = Combine(mse, activationRate, classifier, ghost, weights);
        var terms = new SaeLossTerms(mse * weights.LambdaMse, activationRate * weights.LambdaAR, classifier * weights.LambdaCls,
            ghost * weights.LambdaMse, total);
        return new SaeStepOutput(terms, enc, xHat, firingCounts, classifierLogits);
    }

    /// <summary>Z with its first <paramref name="nConcepts"/> columns cut from the graph.</summary>
    public static Tensor DetachConcepts(Tensor z, int nConcepts) =>
        cat([z.narrow(1, 0, nConcepts).detach(), z.narrow(1, nConcepts, z.shape[1] - nConcepts)], 1);

    /// <summary>The TopK codes with the values of concept units (index &lt; n) cut from the graph.</summary>
    public static TopKCodes DetachConcepts(TopKCodes codes, int nConcepts) =>
        codes with { Values = where(codes.Indices.lt(nConcepts), codes.Values.detach(), codes.Values) };
}

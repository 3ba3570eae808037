using TorchSharp;
using static TorchSharp.torch;
using ClassifSae.Concepts.ConceptShap;

namespace ClassifSae.Concepts.HiConcept;

/// <summary>One step's loss terms (scalars; <see cref="Total"/> carries the gradient).</summary>
public sealed record HiConceptLosses(Tensor Total, Tensor Reconstruction, Tensor Prediction, Tensor Flip, Tensor R1, Tensor R2, Tensor Logits);

/// <summary>
/// HI-Concept's loss (spec 04 §5.2.2): L = λ_ae·mean((x̂ − x/‖x‖)²) + λ_pred·CE(tail(x̂), y) + λ_flip·L_flip + r1·R1 + r2·R2,
/// with R1 on the concept softmax and R2 the mean signed cosine of the unit concepts (<see cref="ConceptRegularisers"/>).
/// The causal flip term rewards reconstructions whose class distribution moves when concepts are randomly dropped.
/// </summary>
public static class HiConceptObjective
{
    /// <summary>Mean over B×d of (x̂ − x̂n)², the target being the UNIT-NORM input (as upstream).</summary>
    public static Tensor Reconstruction(Tensor xhat, Tensor x)
    {
        using var scope = NewDisposeScope();
        return (xhat - nn.functional.normalize(x, dim: 1)).pow(2).mean().MoveToOuterDisposeScope();
    }

    /// <summary>L_flip = −mean_b Σ_c |softmax(ℓ)_c − softmax(ℓ_far)_c|.</summary>
    public static Tensor Flip(Tensor logits, Tensor perturbedLogits)
    {
        using var scope = NewDisposeScope();
        var gap = nn.functional.softmax(logits, dim: 1) - nn.functional.softmax(perturbedLogits, dim: 1);
        return (-gap.abs().sum(1).mean()).MoveToOuterDisposeScope();
    }

    /// <summary>The perturbation's keep mask [B, n]: concept j &lt; n−1 kept where a uniform draw exceeds <paramref name="drop"/>; the last concept always kept.</summary>
    public static Tensor KeepMask(long rows, int concepts, double drop, Generator generator)
    {
        using var scope = NewDisposeScope();
        var drawn = rand([rows, concepts - 1], generator: generator).gt(drop);
        return cat([drawn, ones([rows, 1], dtype: ScalarType.Bool)], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The loss of one batch. <paramref name="keep"/> is the flip perturbation's mask, or null before the causal half
    /// (then L_flip = 0 and the tail runs once).
    /// </summary>
    public static HiConceptLosses Loss(HiConceptModel model, Tensor x, Tensor y, Func<Tensor, Tensor> labelLogits, HiConceptSettings settings, Tensor? keep)
    {
        using var scope = NewDisposeScope();
        var scores = model.Scores(x);
        var xhat = model.Decode(model.Activations(scores));
        var logits = labelLogits(xhat);
        var reconstruction = Reconstruction(xhat, x);
        var prediction = nn.functional.cross_entropy(logits, y);
        var flip = keep is null ? zeros([], dtype: logits.dtype) : Flip(logits, labelLogits(model.Decode(HiConceptModel.PerturbedActivations(scores, keep))));
        var r1 = ConceptRegularisers.TopQuarterCloseness(scores.Probabilities);
        var r2 = ConceptRegularisers.SignedDecorrelation(model.UnitConcepts());
        var total = settings.LambdaAe * reconstruction + settings.LambdaPred * prediction + settings.LambdaFlip * flip
                    + settings.LambdaR1 * r1 + settings.LambdaR2 * r2;
        Tensor[] all = [total, reconstruction, prediction, flip, r1, r2, logits];
        foreach (var t in all) t.MoveToOuterDisposeScope();
        return new HiConceptLosses(total, reconstruction, prediction, flip, r1, r2, logits);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.HiConcept;

/// <summary>The concept scores of one batch: raw projections s = X·Ĉ and the concept softmax p of the cosines.</summary>
public sealed record HiConceptScores(Tensor Raw, Tensor Probabilities);

/// <summary>
/// The HI-Concept model (spec 04 §5.2.1; Zhao et al., EACL 2024, as upstream ports it): concept vectors C [d, n] and
/// the reconstruction MLP R1 [n, h], R2 [h, d], no biases, initialised like ConceptSHAP. A concept is on where its
/// softmax probability over concepts exceeds 1/n; a = t / (Σ t + 1e-3) with t = s ⊙ mask. Unlike ConceptSHAP a
/// concept can pass with a negative cosine, so activations can be negative (reproduced as upstream has it).
/// </summary>
public sealed class HiConceptModel : nn.Module
{
    private readonly Parameter concept;
    private readonly Parameter rec_vector_1;
    private readonly Parameter rec_vector_2;

    /// <summary>Initialised U(−0.5, 0.5) in the order C, R1, R2 from one generator seeded with <paramref name="seed"/>.</summary>
    public HiConceptModel(int dIn, int nConcepts, int hiddenDim, long seed) : base("HIConcept")
    {
        using var g = new Generator((ulong)seed);
        concept = new Parameter(rand([dIn, nConcepts], generator: g) - 0.5);
        rec_vector_1 = new Parameter(rand([nConcepts, hiddenDim], generator: g) - 0.5);
        rec_vector_2 = new Parameter(rand([hiddenDim, dIn], generator: g) - 0.5);
        RegisterComponents();
    }

    public Parameter Concepts => concept;
    public int NConcepts => (int)concept.size(1);

    /// <summary>Tensors by the original state-dict names.</summary>
    public IReadOnlyDictionary<string, Parameter> NamedTensors => new Dictionary<string, Parameter>
    {
        ["concept"] = concept, ["rec_vector_1"] = rec_vector_1, ["rec_vector_2"] = rec_vector_2,
    };

    /// <summary>Ĉ: the concept vectors with unit-norm columns.</summary>
    public Tensor UnitConcepts() => nn.functional.normalize(concept, dim: 0);

    public HiConceptScores Scores(Tensor x)
    {
        using var scope = NewDisposeScope();
        var unit = UnitConcepts();
        var raw = x.matmul(unit);
        var p = nn.functional.softmax(nn.functional.normalize(x, dim: 1).matmul(unit), dim: 1);
        return new HiConceptScores(raw.MoveToOuterDisposeScope(), p.MoveToOuterDisposeScope());
    }

    /// <summary>a [B, n] from the scores: raw scores of the concepts whose probability exceeds 1/n, normalised by their sum.</summary>
    public Tensor Activations(HiConceptScores scores)
    {
        using var scope = NewDisposeScope();
        var mask = scores.Probabilities.gt(1.0 / NConcepts).to(scores.Raw.dtype);
        return Normalise(scores.Raw * mask).MoveToOuterDisposeScope();
    }

    public Tensor Activations(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Activations(Scores(x)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The flip loss's perturbed activations: the RAW scores (not thresholded) with the concepts outside
    /// <paramref name="keep"/> [B, n] zeroed, normalised like <see cref="Activations(HiConceptScores)"/>.
    /// </summary>
    public static Tensor PerturbedActivations(HiConceptScores scores, Tensor keep)
    {
        using var scope = NewDisposeScope();
        return Normalise(scores.Raw * keep.to(scores.Raw.dtype)).MoveToOuterDisposeScope();
    }

    private static Tensor Normalise(Tensor t) => t / (t.sum(1, keepdim: true) + 1e-3);

    /// <summary>x̂ [B, d] from (masked) activations [B, n].</summary>
    public Tensor Decode(Tensor activations)
    {
        using var scope = NewDisposeScope();
        return nn.functional.relu(activations.matmul(rec_vector_1)).matmul(rec_vector_2).MoveToOuterDisposeScope();
    }
}

using ClassifSae.Settings;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.ConceptShap;

/// <summary>
/// The ConceptSHAP concept model (spec 02 §2.2), no biases: concept vectors C [d, n], reconstruction MLP R1 [n, h],
/// R2 [h, d]. Scores a_j = t_j / (Σ_k t_k + 1e-3) with t_j = ⟨x, c_j⟩·1[cos(x, c_j) &gt; θ]; x̂ = ReLU(ã R1) R2.
/// Upstream's v2 (<see cref="UnitConceptScores"/>, spec 04 §5.1.1) projects on the unit-norm concepts: t_j = ⟨x, ĉ_j⟩·1[…].
/// </summary>
public sealed class ConceptShapModel : nn.Module
{
    private readonly Parameter concept;
    private readonly Parameter rec_vector_1;
    private readonly Parameter rec_vector_2;

    public double Threshold { get; }
    /// <summary>Whether the raw scores project on the unit-norm concepts (v2) instead of the raw ones (paper).</summary>
    public bool UnitConceptScores { get; }

    /// <summary>Initialised U(−0.5, 0.5) in the order C, R1, R2 from one generator seeded with <paramref name="seed"/>.</summary>
    public ConceptShapModel(int dIn, int nConcepts, int hiddenDim, double threshold, long seed, bool unitConceptScores = false) : base("ConceptNet")
    {
        Threshold = threshold;
        UnitConceptScores = unitConceptScores;
        using var g = new Generator((ulong)seed);
        concept = new Parameter(rand([dIn, nConcepts], generator: g) - 0.5);
        rec_vector_1 = new Parameter(rand([nConcepts, hiddenDim], generator: g) - 0.5);
        rec_vector_2 = new Parameter(rand([hiddenDim, dIn], generator: g) - 0.5);
        RegisterComponents();
    }

    /// <summary>The model <paramref name="settings"/> describe (their version decides the scores).</summary>
    public static ConceptShapModel For(int dIn, ConceptShapSettings settings, long seed) =>
        new(dIn, settings.NConcepts, settings.HiddenDim, settings.Threshold, seed, settings.Version == MethodVersion.Upstream2026);

    public Parameter Concepts => concept;
    public Parameter R1 => rec_vector_1;
    public Parameter R2 => rec_vector_2;
    public int DIn => (int)concept.size(0);
    public int NConcepts => (int)concept.size(1);
    public int HiddenDim => (int)rec_vector_1.size(1);

    /// <summary>Tensors by the original state-dict names.</summary>
    public IReadOnlyDictionary<string, Parameter> NamedTensors => new Dictionary<string, Parameter>
    {
        ["concept"] = concept, ["rec_vector_1"] = rec_vector_1, ["rec_vector_2"] = rec_vector_2,
    };

    /// <summary>Concept activations [B, n] in [0, 1).</summary>
    public Tensor Activations(Tensor x)
    {
        using var scope = NewDisposeScope();
        var unit = nn.functional.normalize(concept, dim: 0);
        var raw = x.matmul(UnitConceptScores ? unit : concept);
        var cos = nn.functional.normalize(x, dim: 1).matmul(unit);
        var thresholded = raw * cos.gt(Threshold).to(raw.dtype);
        return (thresholded / (thresholded.sum(1, keepdim: true) + 1e-3)).MoveToOuterDisposeScope();
    }

    /// <summary>cos(x, c_j) [B, n]: what v2's R1 and the threshold read.</summary>
    public Tensor Cosines(Tensor x)
    {
        using var scope = NewDisposeScope();
        return nn.functional.normalize(x, dim: 1).matmul(nn.functional.normalize(concept, dim: 0)).MoveToOuterDisposeScope();
    }

    /// <summary>x̂ [B, d] from (masked) activations [B, n].</summary>
    public Tensor Decode(Tensor activations)
    {
        using var scope = NewDisposeScope();
        return nn.functional.relu(activations.matmul(rec_vector_1)).matmul(rec_vector_2).MoveToOuterDisposeScope();
    }
}

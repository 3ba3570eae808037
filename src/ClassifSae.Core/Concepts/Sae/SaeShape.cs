namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Architecture of a TopK SAE with a ClassifSAE classifier head (spec 01 §3.1): the first
/// <see cref="NConcepts"/> hidden units feed a linear classifier over <see cref="NbClasses"/> classes.
/// </summary>
public sealed record SaeShape(int DIn, int DSae, int K, int NConcepts, int NbClasses)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent field.</summary>
    public void Validate()
    {
        if (DIn <= 0) throw new ArgumentException($"d_in must be positive, got {DIn}");
        if (DSae <= 0) throw new ArgumentException($"d_sae must be positive, got {DSae}");
        if (K <= 0 || K > DSae) throw new ArgumentException($"k must be in 1..d_sae ({DSae}), got {K}");
        if (NConcepts <= 0 || NConcepts > DSae) throw new ArgumentException($"n_concepts must be in 1..d_sae ({DSae}), got {NConcepts}");
        if (NbClasses < 2) throw new ArgumentException($"nb_classes must be at least 2, got {NbClasses}");
    }
}

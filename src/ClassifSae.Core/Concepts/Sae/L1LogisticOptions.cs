namespace ClassifSae.Concepts.Sae;

/// <summary>
/// The logistic-regression probe that picks the plain SAE's z_class (spec 02 §2.3): standardised features,
/// L1 penalty, C chosen by stratified k-fold accuracy over <see cref="Cs"/>, refit on all rows.
/// </summary>
public sealed record L1LogisticOptions
{
    public IReadOnlyList<double> Cs { get; init; } = [0.01, 0.1, 1];
    public int Folds { get; init; } = 3;
    public int MaxIterations { get; init; } = 1000;
    /// <summary>saga's rule, tested once per pass over the data: stop when the largest coefficient change over the pass is at most tol × the largest coefficient.</summary>
    public double Tolerance { get; init; } = 1e-3;

    public void Validate()
    {
        if (Cs.Count == 0 || Cs.Any(c => !(c > 0))) throw new ArgumentException("the C grid must hold positive values");
        if (Folds < 2) throw new ArgumentException($"cross-validation needs at least 2 folds, got {Folds}");
        if (MaxIterations < 1) throw new ArgumentException($"max_iterations must be positive, got {MaxIterations}");
        if (!(Tolerance > 0)) throw new ArgumentException($"tolerance must be positive, got {Tolerance}");
    }
}

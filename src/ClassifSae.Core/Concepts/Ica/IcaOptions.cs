namespace ClassifSae.Concepts.Ica;

/// <summary>FastICA settings (spec 02 §2.1): logcosh (α = 1), parallel, unit-variance whitening, 20 components.</summary>
public sealed record IcaOptions
{
    public int Components { get; init; } = 20;
    public int MaxIterations { get; init; } = 1000;
    public double Tolerance { get; init; } = 1e-4;
    /// <summary>Seeds w_init = numpy.random.RandomState(Seed).normal(size=(m, m)), as scikit-learn's random_state does.</summary>
    public long Seed { get; init; } = 42;

    public void Validate()
    {
        if (Components < 1) throw new ArgumentException($"ICA needs at least one component, got {Components}");
        if (MaxIterations < 1) throw new ArgumentException($"ICA max_iterations must be positive, got {MaxIterations}");
        if (!(Tolerance > 0)) throw new ArgumentException($"ICA tolerance must be positive, got {Tolerance}");
    }
}

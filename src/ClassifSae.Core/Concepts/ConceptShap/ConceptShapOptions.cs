using ClassifSae.Settings;

namespace ClassifSae.Concepts.ConceptShap;

/// <summary>
/// A ConceptSHAP training run: the method's settings (<see cref="ConceptShapSettings"/>, spec 02 §2.2) plus what is
/// not a profile key — the seed and the frozen-concepts switch.
/// </summary>
public sealed record ConceptShapOptions
{
    public ConceptShapSettings Settings { get; init; } = new();
    public long Seed { get; init; } = 42;
    /// <summary>Keep the concept vectors at their random initialisation (an ablation: the "random concepts" baseline).</summary>
    public bool FreezeConcepts { get; init; }

    /// <summary>The settings' own rules (the same the profile loader applies), for callers that bypass the profile.</summary>
    public void Validate(long trainRows)
    {
        var check = new SettingsCheck();
        Settings.Check(check, trainRows: trainRows);
        check.ThrowIfAny(m => new ArgumentException(m));
    }
}

using ClassifSae.Settings;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// What the plain-SAE baseline trains from: ClassifSAE's SAE settings with the <c>sae</c> section's changes and the
/// baseline loss weights (<see cref="Sae"/>), and the <c>sae</c> section itself (<see cref="Selection"/>, the probe).
/// </summary>
public sealed record PlainSaeSettings(ClassifSaeSettings Sae, SaeBaselineSettings Selection) : IMethodSettings
{
    public static PlainSaeSettings Bind(ClassifSaeSettings classifSae, SaeBaselineSettings sae) => new(sae.Apply(classifSae), sae);

    public IMethodSettings ForVersion(string methodVersion) =>
        Selection.Version is null && methodVersion == MethodVersion.Upstream2026 ? this with { Selection = Selection with { Version = methodVersion } } : this;

    public void Check(SettingsCheck check, int? dIn = null, long? trainRows = null)
    {
        var c = check.Section(SaeBaselineSettings.Section);
        Selection.CheckAt(c, dIn is > 0 && Sae.ExpansionFactor >= 1 ? Sae.DSae(dIn.Value) : null);
        // The fields borrowed from classif_sae are checked there; what the changes here can break is checked here.
        if (Selection.LearningRate is not null || Selection.LearningRateEnd is not null)
            c.Require(Sae.LearningRateEnd <= Sae.LearningRate, "learning_rate_end",
                $"= {SettingsCheck.Show(Sae.LearningRateEnd)} must be at most learning_rate = {SettingsCheck.Show(Sae.LearningRate)}");
        if (Selection.Steps is { } steps)
            c.Require(steps > Sae.LearningRateDecaySteps, "steps",
                $"= {steps} must exceed classif_sae.learning_rate_decay_steps = {Sae.LearningRateDecaySteps}");
    }
}

using System.Globalization;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// What an SAE's progress bar shows: the loss the loop optimises and its reconstruction quality (MSE, explained variance,
/// L0). ClassifSAE adds its classifier head's accuracy and the concept firing rate it constrains; the plain SAE has no
/// trained head (its accuracy would be an untrained head's), so it shows dead features instead.
/// </summary>
public static class SaeProgressText
{
    /// <summary>How the concept firing rate is named wherever training reports it (Evaluate counts something else).</summary>
    public const string ConceptRateLabel = "concept firing rate (train batch, mean over concept features)";

    public static string For(StepReport r, bool classifierHead)
    {
        var common = string.Create(CultureInfo.InvariantCulture,
            $"loss {r.Total:F4} mse {r.Mse:F4} expl.var {(r.ExplainedVariance is { } ev ? ev.ToString("F3", CultureInfo.InvariantCulture) : "–")} L0 {r.MeanL0:F1}");
        return classifierHead
            ? string.Create(CultureInfo.InvariantCulture, $"{common} head acc {r.ClassifierAccuracy:F3} concept rate/batch {r.ConceptActivationRate:F3}")
            : string.Create(CultureInfo.InvariantCulture, $"{common} dead {r.DeadFeatures}");
    }
}

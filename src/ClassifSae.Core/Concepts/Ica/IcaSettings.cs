using ClassifSae.Settings;

namespace ClassifSae.Concepts.Ica;

/// <summary>FastICA's settings (spec 02 §2.1: logcosh, parallel, unit-variance whitening), the profile's <c>ica</c> section.</summary>
public sealed record IcaSettings : IMethodSettings
{
    public const string Section = "ica";

    public int Components { get; init; } = 20;
    public int MaxIterations { get; init; } = 1000;
    public double Tolerance { get; init; } = 1e-4;

    public void Check(SettingsCheck check, int? dIn = null, long? trainRows = null)
    {
        var c = check.Section(Section);
        // Whitening keeps the top-m directions of the centred states: m can exceed neither d nor the row count.
        if (dIn is > 0) c.InRange("components", Components, 1, dIn.Value, "d (the hook width)");
        else c.AtLeast("components", Components, 1);
        if (trainRows is { } n) c.Require(Components <= n, "components", $"= {Components} needs at least as many training rows, got {n}");
        c.AtLeast("max_iterations", MaxIterations, 1);
        c.Positive("tolerance", Tolerance);
    }
}

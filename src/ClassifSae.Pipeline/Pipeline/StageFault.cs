namespace ClassifSae.Pipeline;

/// <summary>
/// Fault injection for the stage runner, so tests can prove that a crash at a given point leaves a findable complete
/// stage. <c>CLASSIFSAE_FAULT=&lt;point&gt;</c> throws <see cref="StageFaultException"/> there; <c>&lt;point&gt;@exit</c>
/// ends the process at once, like a kill. Unset (the default), nothing happens.
/// </summary>
public static class StageFault
{
    public const string Variable = "CLASSIFSAE_FAULT";

    public static void At(string point)
    {
        var setting = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(setting)) return;
        var at = setting.IndexOf('@');
        if (!string.Equals(at < 0 ? setting : setting[..at], point, StringComparison.Ordinal)) return;
        if (at >= 0 && setting[(at + 1)..] == "exit") Environment.FailFast($"injected kill at {point} ({Variable})");
        throw new StageFaultException($"injected fault at {point} ({Variable})");
    }
}

/// <summary>The failure <see cref="StageFault"/> raises when asked to; never thrown otherwise.</summary>
public sealed class StageFaultException(string message) : Exception(message);

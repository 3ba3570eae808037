using System.Globalization;

namespace ClassifSae.Settings;

/// <summary>
/// Collects what is wrong with one settings section, each problem one line naming the key path and the allowed range,
/// e.g. <c>classif_sae.k = 300 must be in [1, d_sae = 256]</c>. Sections are records of the owning code (the methods,
/// fine-tuning, the cache...); the profile loader runs every section's check once, before any stage starts.
/// </summary>
public sealed class SettingsCheck
{
    private readonly string _section;
    private readonly List<string> _problems;

    public SettingsCheck(string section = "") : this(section, []) { }

    private SettingsCheck(string section, List<string> problems)
    {
        _section = section;
        _problems = problems;
    }

    public IReadOnlyList<string> Problems => _problems;

    /// <summary>A check of a nested section sharing this check's problem list (<c>models.m</c> → <c>models.m.hidden_size</c>).</summary>
    public SettingsCheck Section(string name) => new(Path(name), _problems);

    public string Path(string key) => _section.Length == 0 ? key : $"{_section}.{key}";

    public void Require(bool ok, string key, string rule)
    {
        if (!ok) _problems.Add($"{Path(key)} {rule}");
    }

    /// <summary><paramref name="value"/> in [min, max]; <paramref name="maxName"/> names a derived bound ("d_sae").</summary>
    public void InRange(string key, long value, long min, long max, string? maxName = null) =>
        Require(value >= min && value <= max, key, $"= {Show(value)} must be in [{Show(min)}, {(maxName is null ? Show(max) : $"{maxName} = {Show(max)}")}]");

    public void AtLeast(string key, long value, long min) =>
        Require(value >= min, key, $"= {Show(value)} must be at least {Show(min)}");

    public void Positive(string key, double value) =>
        Require(value > 0 && double.IsFinite(value), key, $"= {Show(value)} must be positive");

    public void NonNegative(string key, double value) =>
        Require(value >= 0 && double.IsFinite(value), key, $"= {Show(value)} must be non-negative");

    /// <summary>(min, max], as for rates.</summary>
    public void InHalfOpen(string key, double value, double min, double max) =>
        Require(value > min && value <= max, key, $"= {Show(value)} must be in ({Show(min)}, {Show(max)}]");

    public void OneOf(string key, string value, params string[] allowed) =>
        Require(allowed.Contains(value), key, $"= '{value}' must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}");

    /// <summary>Throws the first problem through <paramref name="error"/> (one line); does nothing when all is well.</summary>
    public void ThrowIfAny(Func<string, Exception> error)
    {
        if (Problems.Count > 0) throw error(Problems[0]);
    }

    public static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    public static string Show(long v) => v.ToString(CultureInfo.InvariantCulture);
}

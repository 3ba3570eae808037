using ClassifSae.Concepts;
using ClassifSae.Concepts.Sae;

namespace ClassifSae.Pipeline;

/// <summary>
/// Binds each concept method's settings record from its profile section: one line per method of
/// <see cref="ConceptMethods"/>. The methods live in the library and never see the profile.
/// </summary>
public static class ProfileMethodSettings
{
    private static readonly Dictionary<string, Func<Profile, IMethodSettings>> Binders = new()
    {
        ["classifsae"] = p => p.ClassifSae,
        ["sae"] = p => PlainSaeSettings.Bind(p.ClassifSae, p.Sae),
        ["ica"] = p => p.Ica,
        ["conceptshap"] = p => p.ConceptShap,
    };

    /// <summary>The settings record method <paramref name="key"/> trains from, in <paramref name="profile"/> (one grid cell's).</summary>
    public static IMethodSettings MethodSettings(this Profile profile, string key) =>
        Binders.TryGetValue(ConceptMethods.Get(key).Key, out var bind)
            ? bind(profile)
            : throw new InvalidOperationException($"concept method '{key}' has no settings binding in {nameof(ProfileMethodSettings)}");

    /// <summary>Keys of <see cref="ConceptMethods"/> without a binding here (an architecture test keeps this empty).</summary>
    internal static IEnumerable<string> Unbound => ConceptMethods.Keys.Where(k => !Binders.ContainsKey(k));
}

using ClassifSae.Concepts;

namespace ClassifSae.Pipeline;

/// <summary>Binds a concept method's settings record from a profile, through the method's line in <see cref="ConceptMethods"/>.</summary>
public static class ProfileMethodSettings
{
    /// <summary>The settings record method <paramref name="key"/> trains from, in <paramref name="profile"/> (one grid cell's).</summary>
    public static IMethodSettings MethodSettings(this Profile profile, string key) => ConceptMethods.Bind(key, profile.Section);
}

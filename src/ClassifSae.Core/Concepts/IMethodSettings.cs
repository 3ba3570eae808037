using ClassifSae.Settings;

namespace ClassifSae.Concepts;

/// <summary>
/// The typed settings one concept method trains from, owned by the method's folder and bound once from its profile
/// section (the registry in <see cref="ConceptMethods"/> says which). Serialised as is (snake_case, the profile's key
/// names) into method.json and into the training hash.
/// </summary>
public interface IMethodSettings
{
    /// <summary>
    /// Adds every problem to <paramref name="check"/> (a root check: key paths start with the profile section).
    /// <paramref name="dIn"/> (the hook's width) and <paramref name="trainRows"/> (cached training rows) are checked when known.
    /// </summary>
    void Check(SettingsCheck check, int? dIn = null, long? trainRows = null);

    /// <summary>
    /// These settings for a run of <paramref name="methodVersion"/> (the profile's top-level <c>method_version</c>): methods
    /// whose algorithm changed upstream pick their version here unless their section names one.
    /// </summary>
    IMethodSettings ForVersion(string methodVersion) => this;
}

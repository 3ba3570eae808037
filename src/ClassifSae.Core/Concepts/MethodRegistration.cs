namespace ClassifSae.Concepts;

/// <summary>A settings section of a profile: its JSON name and the record it holds (defaults when absent).</summary>
public sealed record MethodSection(string Name, Type SettingsType);

/// <summary>
/// One line of <see cref="ConceptMethods"/>: a method, the profile section it owns, and how its settings record is bound
/// from the sections (<paramref name="Bind"/> gets a reader: section name and record type → the record). Most methods
/// read their own section; the plain SAE also reads ClassifSAE's.
/// </summary>
public sealed record MethodRegistration(IConceptMethod Method, MethodSection Section, Func<Func<string, Type, object>, IMethodSettings> Bind)
{
    /// <summary>A method whose settings record is exactly its own section.</summary>
    public static MethodRegistration Of<TSettings>(IConceptMethod method, string section) where TSettings : IMethodSettings, new() =>
        new(method, new MethodSection(section, typeof(TSettings)), read => (TSettings)read(section, typeof(TSettings)));
}

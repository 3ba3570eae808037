using ClassifSae.Concepts;

namespace ClassifSae.Reporting;

/// <summary>The concept methods as the registry names them (DisplayName) and orders them; an unregistered key is shown as is, last.</summary>
internal static class MethodLabels
{
    public static string Of(string method) => ConceptMethods.Keys.Contains(method) ? ConceptMethods.Get(method).DisplayName : method;

    /// <summary>Registry order; null (the classifier itself) first.</summary>
    public static int Order(string? method) =>
        method is null ? -1 : ConceptMethods.Keys.ToList().IndexOf(method) is var i and >= 0 ? i : ConceptMethods.Keys.Count;
}

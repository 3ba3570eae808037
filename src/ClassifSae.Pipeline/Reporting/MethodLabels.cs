namespace ClassifSae.Reporting;

/// <summary>The concept methods as the paper names them, and their display order.</summary>
internal static class MethodLabels
{
    public static string Of(string method) => method switch
    {
        "classifsae" => "ClassifSAE",
        "sae" => "SAE",
        "conceptshap" => "ConceptSHAP",
        "ica" => "ICA",
        _ => method,
    };

    public static int Order(string? method) => method switch
    {
        "classifsae" => 0, "sae" => 1, "ica" => 2, "conceptshap" => 3, null => -1, _ => 4,
    };
}

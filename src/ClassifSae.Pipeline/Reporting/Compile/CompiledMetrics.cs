namespace ClassifSae.Reporting.Compile;

/// <summary>
/// The numbers upstream's compile_results.py (bc50f40, spec 04 §6.6) gathers for one (model, data set) run: five rows by
/// five methods, plus each method's SentenceSim(k) curve; null where the store has no value.
/// </summary>
public sealed record CompiledMetrics(string Model, string Dataset,
    IReadOnlyDictionary<(string Row, string Method), double?> Values, IReadOnlyDictionary<string, double?[]> SentenceSim)
{
    /// <summary>Our method keys and upstream's display names, in upstream's column order.</summary>
    public static readonly IReadOnlyList<(string Key, string Display)> Methods =
        [("ica", "ICA"), ("conceptshap", "ConceptShap"), ("hiconcept", "HIConcept"), ("sae", "SAE"), ("classifsae", "ClassifSAE")];

    /// <summary>Upstream's row keys, their Markdown labels and the store metric each comes from.</summary>
    public static readonly IReadOnlyList<(string Key, string Label, string Metric)> Rows =
    [
        ("RAcc", "RAcc", "recovery_accuracy"),
        ("Avg. Act. Rate", "Avg. Act. Rate", "avg_activation_rate_pct"),
        ("Delta_f_cond", @"$\Delta f^{cond}$", "cond_label_flip_rate"),
        ("TVD_cond", "$TVD_{cond}$", "cond_tvd"),
        ("ConceptSim", "ConceptSim", "conceptsim_weighted"),
    ];

    public const int SentenceSimPoints = 4;
}

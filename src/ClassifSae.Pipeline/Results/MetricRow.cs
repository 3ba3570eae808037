namespace ClassifSae.Results;

/// <summary>One measured number, as appended to the long-form <c>metrics</c> table.</summary>
/// <param name="Method">Null for metrics of the classifier itself (e.g. llm_accuracy_test).</param>
/// <param name="Metric">snake_case name, e.g. recovery_accuracy.</param>
/// <param name="FormulaVersion">Bump when the metric's definition changes, so old and new values are never averaged together.</param>
/// <param name="Encoder">The sentence encoder behind an interpretability metric; null for every other metric.</param>
/// <param name="RecordedAt">UTC; null means "now".</param>
/// <param name="Class">The class a per-class number is for. A packed name (category2_tvd_50pct, reconstruction_f1-score_3,
/// sentencesim_k2) with no columns set is split by <see cref="MetricNames.Split"/> when stored.</param>
/// <param name="AblationPct">Share of a class segment ablated, in percent.</param>
/// <param name="K">The k of SentenceSim(k).</param>
public sealed record MetricRow(
    string RunId,
    string Stage,
    string Model,
    string Dataset,
    string? Method,
    int Seed,
    string Split,
    string Metric,
    double Value,
    int FormulaVersion = 1,
    DateTime? RecordedAt = null,
    string? Encoder = null,
    int? Class = null,
    int? AblationPct = null,
    int? K = null)
{
    /// <summary>The name and columns as stored: the given columns, or those split out of a packed name.</summary>
    public MetricKey Key => Class is null && AblationPct is null && K is null ? MetricNames.Split(Metric) : new(Metric, Class, AblationPct, K);
}

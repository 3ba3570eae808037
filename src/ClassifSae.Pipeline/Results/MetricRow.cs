namespace ClassifSae.Results;

/// <summary>One measured number, as appended to the long-form <c>metrics</c> table.</summary>
/// <param name="Method">Null for metrics of the classifier itself (e.g. llm_accuracy_test).</param>
/// <param name="Metric">snake_case name, e.g. recovery_accuracy.</param>
/// <param name="FormulaVersion">Bump when the metric's definition changes, so old and new values are never averaged together.</param>
/// <param name="Encoder">The sentence encoder behind an interpretability metric; null for every other metric.</param>
/// <param name="RecordedAt">UTC; null means "now".</param>
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
    string? Encoder = null);

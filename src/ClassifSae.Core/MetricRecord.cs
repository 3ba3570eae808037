namespace ClassifSae;

/// <summary>One number a stage produced, in long form; <paramref name="FormulaVersion"/> changes whenever its definition does;
/// <paramref name="Encoder"/> names the sentence encoder behind an interpretability metric.</summary>
public sealed record MetricRecord(string Metric, double Value, string Split = "test", string? Method = null, int FormulaVersion = 1, string? Encoder = null);

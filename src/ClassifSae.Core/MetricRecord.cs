namespace ClassifSae;

/// <summary>One number a stage produced, in long form; <paramref name="FormulaVersion"/> changes whenever its definition does;
/// <paramref name="Encoder"/> names the sentence encoder behind an interpretability metric; <paramref name="Class"/> is the class a
/// per-class number is for (packed names such as category2_tvd_50pct are split into columns when stored).</summary>
public sealed record MetricRecord(string Metric, double Value, string Split = "test", string? Method = null, int FormulaVersion = 1, string? Encoder = null,
    int? Class = null);

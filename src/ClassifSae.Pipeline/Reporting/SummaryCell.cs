namespace ClassifSae.Reporting;

/// <summary>One metric for one (model, method) aggregated over seeds, from the store's summary view.</summary>
/// <param name="OlderFormulaExcluded">Some seeds were measured with an older formula version and are left out.</param>
internal sealed record SummaryCell(double Mean, double? Std, long N, IReadOnlyList<int> Seeds, bool OlderFormulaExcluded);

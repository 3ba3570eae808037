namespace ClassifSae.Reporting;

/// <summary>One number of a paper table, mean over <see cref="N"/> seeds with the sample std (null for one seed).</summary>
internal sealed record PaperValue(double Mean, double? Std, long N);

/// <summary>Our value and the authors' published value for one (model, method, metric); either may be missing.</summary>
internal sealed record PaperCell(PaperValue? Ours, PaperValue? Paper);

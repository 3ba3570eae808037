namespace ClassifSae.Results;

/// <summary>One logged training step (or epoch, <paramref name="XUnit"/>) of one loss term of a training curve.</summary>
/// <param name="Curve">'pretrain' / 'finetune' for FineTune, the method key for Train.</param>
public sealed record CurvePointRecord(string RunId, string Stage, string Curve, string Term, string XUnit, double X, double Value);

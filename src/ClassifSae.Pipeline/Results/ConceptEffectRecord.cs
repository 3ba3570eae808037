namespace ClassifSae.Results;

/// <summary>One concept's conditional causal effect: the concept alone ablated on the test sentences where it is active.</summary>
public sealed record ConceptEffectRecord(string RunId, string Method, int Concept, int ActiveSentences, double LabelFlip, double Tvd, double AccChange);

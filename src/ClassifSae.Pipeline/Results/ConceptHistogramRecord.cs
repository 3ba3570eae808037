namespace ClassifSae.Results;

/// <summary>One bin of a concept's activation histogram over the test sentences: [Lower, Upper) and the sentences in it.</summary>
public sealed record ConceptHistogramRecord(string RunId, string Method, int Concept, int Bin, double Lower, double Upper, int Sentences);

namespace ClassifSae.Results;

/// <summary>One of a concept's top activating test sentences, as stored in the <c>top_sentences</c> table.</summary>
/// <param name="Rank">1 = highest activation.</param>
/// <param name="SentenceIndex">Index in the data set's test split.</param>
/// <param name="Label">True label.</param>
/// <param name="SubTopic">Planted sub-topic; null for real data sets.</param>
public sealed record TopSentenceRecord(
    string RunId,
    string Method,
    int Concept,
    int Rank,
    int SentenceIndex,
    double Activation,
    string Text,
    int Label,
    int? SubTopic = null);

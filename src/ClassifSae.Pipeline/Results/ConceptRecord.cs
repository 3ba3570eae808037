namespace ClassifSae.Results;

/// <summary>One candidate concept of a method's evaluation, as stored in the <c>concepts</c> table.</summary>
/// <param name="Concept">Index in the method's concept space (for ClassifSAE, the SAE feature index).</param>
/// <param name="NConcepts">Size of the candidate set.</param>
/// <param name="Selected">Kept by the dead-feature filter (z_class).</param>
/// <param name="SegmentClass">Class whose segment holds the concept; null when not selected.</param>
/// <param name="SegmentRank">Position inside its segment, 0 = largest mean |activation|.</param>
/// <param name="ActivationRatePct">Firing frequency in percent, from <paramref name="ActivationRateSource"/>; null when unknown.</param>
/// <param name="SubtopicPurity">Share of the top sentences from the dominant planted sub-topic; null without sub-topics.</param>
/// <param name="PcaX">Decoder direction in the 2-D PCA of the test states; null when not computed.</param>
public sealed record ConceptRecord(
    string RunId,
    string Method,
    int Concept,
    int NConcepts,
    bool Selected,
    int? SegmentClass = null,
    string? SegmentClassName = null,
    int? SegmentRank = null,
    double? ActivationRatePct = null,
    string? ActivationRateSource = null,
    double? SubtopicPurity = null,
    double? PcaX = null,
    double? PcaY = null);

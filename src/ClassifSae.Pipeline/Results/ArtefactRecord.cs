namespace ClassifSae.Results;

/// <summary>One file a stage wrote, as stored in the <c>artefacts</c> table.</summary>
/// <param name="Path">Absolute path when recorded.</param>
/// <param name="Sha256">Lower-case hex.</param>
public sealed record ArtefactRecord(string RunId, string Stage, string Path, long Bytes, string Sha256);

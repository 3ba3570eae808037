namespace ClassifSae.Results;

/// <summary>One stage of a run, as stored in the <c>stages</c> table, keyed by (run, stage): record it when it starts and again when it ends.</summary>
/// <param name="Status">'running', 'succeeded', 'failed' or 'skipped'.</param>
public sealed record StageRecord(
    string RunId,
    string Stage,
    string Status,
    DateTime StartedAt,
    DateTime? FinishedAt = null,
    double? Seconds = null,
    string? ManifestPath = null);

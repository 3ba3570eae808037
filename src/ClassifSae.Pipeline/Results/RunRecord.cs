namespace ClassifSae.Results;

/// <summary>One pipeline run, as stored in the <c>runs</c> table. Recording the same <see cref="RunId"/> again replaces the row.</summary>
/// <param name="Method">Concept method; null for classifier-only runs.</param>
/// <param name="VersionsJson">JSON object with the classifsae, .NET, TorchSharp and libtorch versions.</param>
/// <param name="GitCommit">Null when the binary was not built from a git checkout.</param>
/// <param name="CreatedAt">UTC; stored with microsecond precision.</param>
/// <param name="MethodVersion">The profile's method_version: 'paper-2025' or 'upstream-2026'.</param>
/// <param name="RopeScaling">The rotary scaling the run's model computes with (<c>Backbones.RopeScalingChoice</c>); null when not recorded.</param>
/// <param name="CpuModel">The processor the run's numbers were computed on (e.g. from /proc/cpuinfo); null when unknown.</param>
public sealed record RunRecord(
    string RunId,
    string Profile,
    string Model,
    string Dataset,
    string? Method,
    int Seed,
    string ConfigJson,
    string ConfigHash,
    string? GitCommit,
    string VersionsJson,
    string Device,
    string Dtype,
    int Threads,
    DateTime CreatedAt,
    string? CpuModel = null,
    string MethodVersion = "paper-2025",
    string? RopeScaling = null);

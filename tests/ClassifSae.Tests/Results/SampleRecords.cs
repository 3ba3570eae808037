using ClassifSae.Results;

namespace ClassifSae.Tests.Results;

internal static class SampleRecords
{
    public static RunRecord Run(string id, int seed = 0, string? method = "classifsae", string model = "bert-base",
        string dataset = "ag_news", string profile = "smoke", DateTime? createdAt = null) =>
        new(id, profile, model, dataset, method, seed,
            ConfigJson: """{"lr":0.001}""", ConfigHash: "hash-" + id, GitCommit: "abc1234",
            VersionsJson: """{"classifsae":"0.1.0","dotnet":"10.0","torchsharp":"0.107.0","libtorch":"2.7.1"}""",
            Device: "cpu", Dtype: "float32", Threads: 2,
            CreatedAt: createdAt ?? new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));

    public static MetricRow Metric(RunRecord run, string metric, double value, string split = "test", string stage = "evaluate",
        string? method = null, bool sameMethodAsRun = true) =>
        new(run.RunId, stage, run.Model, run.Dataset, sameMethodAsRun ? run.Method : method, run.Seed, split, metric, value);
}

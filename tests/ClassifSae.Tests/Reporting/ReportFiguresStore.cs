using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>
/// A hand-made store for the report's figures: run "figs-1" (profile smoke, tiny-neox / planted, seed 1) with two classes
/// (alpha, beta), ClassifSAE and SAE evaluated (segment-ablation flip rates per class and share, conditional effects of
/// three concepts, activation histograms of two, bottleneck confusion), and FineTune's classifier confusion and loss curve.
/// </summary>
internal static class ReportFiguresStore
{
    public const string RunId = "figs-1";

    public static void Fill(ResultsStore store)
    {
        var t = new DateTime(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc);
        var run = SampleRecords.Run(RunId, seed: 1, method: null, model: "tiny-neox", dataset: "planted", profile: "smoke", createdAt: t);
        store.RecordRun(run);
        var finetune = new StageBatch(run, new StageRecord(RunId, "finetune", "succeeded", t, t, 1, null),
            [SampleRecords.Metric(run, "llm_accuracy_test", 0.875, stage: "finetune") with { RecordedAt = t }], [], [])
        {
            Curves = [new(RunId, "finetune", "finetune", "loss", "step", 1, 1.5), new(RunId, "finetune", "finetune", "loss", "step", 2, 0.5)],
            Confusion = [new(RunId, "finetune", null, "test", 0, 0, 7), new(RunId, "finetune", null, "test", 0, 1, 1),
                         new(RunId, "finetune", null, "test", 1, 0, 1), new(RunId, "finetune", null, "test", 1, 1, 7)],
        };
        store.RecordStageBatch(finetune);

        var metrics = new List<MetricRow>();
        foreach (var method in new[] { "classifsae", "sae" })
        {
            var scale = method == "classifsae" ? 1.0 : 0.5;
            foreach (var pct in new[] { 25, 50, 75, 100 })
            {
                for (var c = 0; c < 2; c++)
                    metrics.Add(Row(run, method, "category_label_flip", scale * pct / 100.0 * (c + 1) / 2, t) with { Class = c, AblationPct = pct });
                metrics.Add(Row(run, method, "global_label_flip", scale * pct / 100.0 * 0.75, t) with { AblationPct = pct });
            }
            metrics.Add(Row(run, method, "recovery_accuracy", method == "classifsae" ? 0.96 : 0.81, t));
            metrics.Add(Row(run, method, "cond_label_flip_rate", 0.3 * scale, t));
            metrics.Add(Row(run, method, "cond_tvd", 0.2 * scale, t));
        }
        var concepts = new List<ConceptRecord>
        {
            new(RunId, "classifsae", 0, 3, true, 0, "alpha", 0, 9.5, null, null, null, null),
            new(RunId, "classifsae", 1, 3, true, 1, "beta", 0, 14.0, null, null, null, null),
            new(RunId, "classifsae", 2, 3, true, 1, "beta", 1, 4.0, null, null, null, null),
        };
        var sentences = new List<TopSentenceRecord>
        {
            new(RunId, "classifsae", 0, 1, 3, 2.5, "the goalkeeper saved it", 0, null),
            new(RunId, "classifsae", 1, 1, 4, 1.5, "shares fell sharply", 1, null),
        };
        var evaluate = new StageBatch(run, new StageRecord(RunId, "evaluate", "succeeded", t, t, 1, null), metrics, [],
            [new MethodConcepts("classifsae", concepts, sentences)])
        {
            ConceptEffects = [new(RunId, "classifsae", 0, 8, 0.625, 0.4, 0.5), new(RunId, "classifsae", 1, 6, 0.5, 0.3, 0.33), new(RunId, "classifsae", 2, 2, 0.0, 0.01, 0.0)],
            Confusion = [new(RunId, "evaluate", "classifsae", "test", 0, 0, 8), new(RunId, "evaluate", "classifsae", "test", 1, 1, 8)],
            // Concept 0 over 14 test sentences in 4 bins of [0, 4]; concept 1 over 10 in 2 bins of [-1, 1]; concept 2 has none.
            ConceptHistograms = [.. new[] { 10, 0, 3, 1 }.Select((n, i) => new ConceptHistogramRecord(RunId, "classifsae", 0, i, i, i + 1, n)),
                                 new(RunId, "classifsae", 1, 0, -1, 0, 5), new(RunId, "classifsae", 1, 1, 0, 1, 5)],
        };
        store.RecordStageBatch(evaluate);
    }

    private static MetricRow Row(RunRecord run, string method, string metric, double value, DateTime t) =>
        SampleRecords.Metric(run, metric, value, sameMethodAsRun: false, method: method) with { RecordedAt = t };
}

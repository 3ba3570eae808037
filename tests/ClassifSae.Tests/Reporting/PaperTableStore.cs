using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>
/// A hand-made store: profile "paper", pythia-70m/ag_news, ClassifSAE recovery accuracy 0.95 and 0.97 (seeds 42, 43),
/// SAE recovery accuracy on one seed; profile "smoke", tiny-neox/planted, ClassifSAE recovery accuracy 0.9; concepts with
/// top sentences; no curve files.
/// </summary>
internal static class PaperTableStore
{
    public static void Fill(ResultsStore store)
    {
        var t = new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var s42 = SampleRecords.Run("paper-42", seed: 42, method: null, model: "pythia-70m", dataset: "ag_news", profile: "paper", createdAt: t);
        var s43 = SampleRecords.Run("paper-43", seed: 43, method: null, model: "pythia-70m", dataset: "ag_news", profile: "paper", createdAt: t.AddHours(1));
        var smoke = SampleRecords.Run("smoke-1", seed: 1, method: null, model: "tiny-neox", dataset: "planted", profile: "smoke", createdAt: t.AddHours(2));
        foreach (var r in new[] { s42, s43, smoke }) store.RecordRun(r);
        store.AppendMetrics([
            SampleRecords.Metric(s42, "recovery_accuracy", 0.95, sameMethodAsRun: false, method: "classifsae"),
            SampleRecords.Metric(s43, "recovery_accuracy", 0.97, sameMethodAsRun: false, method: "classifsae"),
            SampleRecords.Metric(s42, "recovery_accuracy", 0.99, sameMethodAsRun: false, method: "sae"),
            SampleRecords.Metric(s42, "sentencesim_k1", 0.12, sameMethodAsRun: false, method: "classifsae"),
            SampleRecords.Metric(s42, "sentencesim_k2", 0.15, sameMethodAsRun: false, method: "classifsae"),
            SampleRecords.Metric(smoke, "recovery_accuracy", 0.9, sameMethodAsRun: false, method: "classifsae"),
            SampleRecords.Metric(smoke, "avg_activation_rate_pct", 12.5, sameMethodAsRun: false, method: "classifsae"),
        ]);
        store.ReplaceConcepts("smoke-1", "classifsae", [
            new ConceptRecord("smoke-1", "classifsae", 0, 3, true, 0, "alpha", 0, 9.5, "train/classifsae/sparsity.safetensors", 0.8, 0.5, -1.0),
            new ConceptRecord("smoke-1", "classifsae", 1, 3, true, 1, "beta", 0, 14.0, "train/classifsae/sparsity.safetensors", 0.6, -0.5, 1.0),
            new ConceptRecord("smoke-1", "classifsae", 2, 3, false),
        ], [
            new TopSentenceRecord("smoke-1", "classifsae", 0, 1, 17, 4.25, "the <alpha> & sentence", 0, 2),
            new TopSentenceRecord("smoke-1", "classifsae", 0, 2, 3, 3.0, "another alpha sentence", 0, 2),
            new TopSentenceRecord("smoke-1", "classifsae", 1, 1, 8, 2.0, "beta sentence", 1),
        ]);
    }
}

using ClassifSae.Evaluation;
using ClassifSae.Evaluation.Causality;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Results;

namespace ClassifSae.Pipeline.Ingest;

/// <summary>
/// The detail rows the report draws, read from a finished stage's own folder: FineTune's <c>curves.json</c> and
/// <c>confusion.json</c>; each Train method's <c>training_curve.json</c>; each Evaluate method's
/// <c>test/confusion.json</c>, <c>test/causality/concept_effects.json</c> and <c>test/interpretability/activation_histograms.json</c>. A file an older build did not write is skipped.
/// </summary>
public static class StageDetailFiles
{
    public static IReadOnlyList<CurvePointRecord> Curves(string runId, string stage, string folder)
    {
        var files = stage switch
        {
            StageNames.FineTune => [(Curve: (string?)null, Path: Path.Combine(folder, "curves.json"))],
            StageNames.Train when Directory.Exists(folder) => Directory.GetDirectories(folder).Order(StringComparer.Ordinal)
                .Select(d => (Curve: (string?)Path.GetFileName(d), Path: Path.Combine(d, "training_curve.json"))).ToList(),
            _ => [],
        };
        var points = new List<CurvePointRecord>();
        foreach (var (curve, path) in files.Where(f => File.Exists(f.Path)))
        {
            var read = CurveFile.Read(path);
            foreach (var (name, series) in read.Series)
                // FineTune's file holds one loss series per phase; a method's file holds one series per loss term.
                foreach (var (x, y) in series.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).DistinctBy(p => p.X))
                    points.Add(curve is null
                        ? new CurvePointRecord(runId, stage, name, "loss", read.XLabel, x, y)
                        : new CurvePointRecord(runId, stage, curve, name, read.XLabel, x, y));
        }
        return points;
    }

    public static IReadOnlyList<ConfusionRecord> Confusion(string runId, string stage, string folder)
    {
        var sources = stage switch
        {
            StageNames.FineTune => [(Method: (string?)null, Folder: folder)],
            StageNames.Evaluate => EvaluationFiles.Find(folder).Select(m => (Method: (string?)m.Method, Folder: Path.Combine(m.Path, "test"))).ToList(),
            _ => [],
        };
        var rows = new List<ConfusionRecord>();
        foreach (var (method, dir) in sources)
            foreach (var (split, matrix) in ConfusionMatrixFile.Read(dir) ?? new Dictionary<string, int[][]>())
                for (var t = 0; t < matrix.Length; t++)
                    for (var p = 0; p < matrix[t].Length; p++)
                        rows.Add(new ConfusionRecord(runId, stage, method, split, t, p, matrix[t][p]));
        return rows;
    }

    public static IReadOnlyList<ConceptEffectRecord> ConceptEffects(string runId, string stage, string folder) =>
        stage != StageNames.Evaluate
            ? []
            : EvaluationFiles.Find(folder).SelectMany(m =>
                (ConceptEffectsFile.Read(Path.Combine(m.Path, "test", "causality")) ?? [])
                .Select(e => new ConceptEffectRecord(runId, m.Method, e.Concept, e.ActiveSentences, e.LabelFlip, e.Tvd, e.AccChange))).ToList();

    public static IReadOnlyList<ConceptHistogramRecord> ConceptHistograms(string runId, string stage, string folder) =>
        stage != StageNames.Evaluate
            ? []
            : EvaluationFiles.Find(folder).SelectMany(m =>
                (Evaluation.Interpretability.ActivationHistograms.Read(Path.Combine(m.Path, "test", "interpretability")) ?? [])
                .SelectMany(h => h.Counts.Select((n, i) => new ConceptHistogramRecord(runId, m.Method, h.Concept, i,
                    h.Lower + i * h.Width, i == h.Counts.Length - 1 ? h.Upper : h.Lower + (i + 1) * h.Width, n)))).ToList();
}

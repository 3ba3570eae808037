using System.Text.Json.Nodes;

namespace ClassifSae.Evaluation;

/// <summary>Accuracy and class-wise recall/precision/F1 with the original's JSON keys and order (spec 01 §1.9).</summary>
public sealed record ClassificationMetrics(double Accuracy, IReadOnlyList<ClassMetrics> PerClass)
{
    public static ClassificationMetrics Compute(IReadOnlyList<long> predicted, IReadOnlyList<long> truth, int classes)
    {
        if (predicted.Count != truth.Count) throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} labels");
        if (truth.Count == 0) throw new ArgumentException("no labels to score");
        var correct = predicted.Zip(truth).Count(p => p.First == p.Second);
        var perClass = Enumerable.Range(0, classes).Select(c =>
        {
            var real = truth.Count(y => y == c);
            var pred = predicted.Count(y => y == c);
            var tp = predicted.Zip(truth).Count(p => p.First == c && p.Second == c);
            var recall = real == 0 ? 0 : (double)tp / real;
            var precision = pred == 0 ? 0 : (double)tp / pred;
            var f1 = recall + precision == 0 ? 0 : 2 * recall * precision / (recall + precision);
            return new ClassMetrics(c, recall, precision, f1, tp, real, pred);
        }).ToList();
        return new ClassificationMetrics((double)correct / truth.Count, perClass);
    }

    /// <summary>The 6×C class-wise keys of the original's metrics files (counts, recall, precision, F1), appended to <paramref name="o"/>.</summary>
    public static JsonObject AddClassWise(JsonObject o, IEnumerable<ClassMetrics> perClass)
    {
        foreach (var c in perClass)
        {
            o[$"number real samples_{c.Class}"] = c.Real;
            o[$"true matches_{c.Class}"] = c.TrueMatches;
            o[$"number predicted samples_{c.Class}"] = c.Predicted;
            o[$"recall_{c.Class}"] = c.Recall;
            o[$"precision_{c.Class}"] = c.Precision;
            o[$"f1-score_{c.Class}"] = c.F1;
        }
        return o;
    }

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["Global accuracy"] = Accuracy };
        foreach (var c in PerClass)
        {
            o[$"recall_{c.Class}"] = c.Recall;
            o[$"precision_{c.Class}"] = c.Precision;
            o[$"f1-score_{c.Class}"] = c.F1;
            o[$"true matches_{c.Class}"] = c.TrueMatches;
            o[$"number real samples_{c.Class}"] = c.Real;
            o[$"number predicted samples_{c.Class}"] = c.Predicted;
        }
        return o;
    }
}

public sealed record ClassMetrics(int Class, double Recall, double Precision, double F1, int TrueMatches, int Real, int Predicted);

using System.Globalization;
using System.Text;
using ClassifSae.Formats;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// <c>activating_sentences/category_{c}.csv</c> and <c>.txt</c> (spec 02 §6.7): per class segment, each concept's top-10
/// sentences by signed activation that are also in its activating set. Two deliberate departures from the original:
/// rows within a concept are ordered by activation (the original follows Python set order), and the files are
/// written whole and atomically rather than appended to, so a re-run never duplicates blocks.
/// </summary>
public static class ActivatingSentencesFiles
{
    public const int TopPerConcept = 10;
    public const string CsvHeader = "sentence,activation strength,feature_id,sparsity";

    public sealed record Row(string Text, double Activation, int Feature, double Sparsity);

    /// <param name="column">signed activations of concept j over the N sentences</param>
    /// <param name="active">j's activating set</param>
    public static IEnumerable<(int Sentence, double Activation)> Kept(IReadOnlyList<double> column, IReadOnlyCollection<int> active)
    {
        var set = active as ISet<int> ?? active.ToHashSet();
        return Enumerable.Range(0, column.Count).OrderByDescending(i => column[i]).ThenBy(i => i).Take(TopPerConcept)
            .Where(set.Contains).Select(i => (i, column[i]));
    }

    /// <summary>Writes one CSV and one text file per class index whose segment has concepts; returns the paths.</summary>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyDictionary<int, List<Row>> rowsByClass)
    {
        var paths = new List<string>();
        foreach (var (c, rows) in rowsByClass.OrderBy(kv => kv.Key))
        {
            var csv = new StringBuilder(CsvHeader).Append('\n');
            var txt = new StringBuilder();
            foreach (var group in rows.GroupBy(r => r.Feature))
            {
                txt.Append($"\n####### Feature {group.Key} ##########\n\n");
                foreach (var r in group)
                {
                    csv.Append(Quote(r.Text)).Append(',').Append(Number(r.Activation)).Append(',').Append(r.Feature)
                       .Append(',').Append(Number(r.Sparsity)).Append('\n');
                    txt.Append('\n').Append(r.Text).Append('\t').Append(Number(r.Activation)).Append('\n');
                }
            }
            var csvPath = Path.Combine(folder, $"category_{c}.csv");
            var txtPath = Path.Combine(folder, $"category_{c}.txt");
            AtomicFile.WriteAllText(csvPath, csv.ToString());
            AtomicFile.WriteAllText(txtPath, txt.ToString());
            paths.Add(csvPath);
            paths.Add(txtPath);
        }
        return paths;
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting, as Python's csv module does by default (minimal quoting).</summary>
    internal static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}

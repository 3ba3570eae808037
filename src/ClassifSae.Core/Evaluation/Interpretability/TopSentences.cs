using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>The sentences on which each concept fires hardest (ties: lower sentence index first), and only where it fires.</summary>
public static class TopSentences
{
    public sealed record Entry(int Row, double Activation);

    public static IReadOnlyDictionary<int, Entry[]> For(Tensor activations, IReadOnlyList<int> concepts, int top)
    {
        var result = new Dictionary<int, Entry[]>();
        foreach (var j in concepts)
        {
            var col = activations[.., j].to(ScalarType.Float64).data<double>().ToArray();
            result[j] = Enumerable.Range(0, col.Length).Where(i => col[i] > 0)
                .OrderByDescending(i => col[i]).ThenBy(i => i).Take(top)
                .Select(i => new Entry(i, col[i])).ToArray();
        }
        return result;
    }

    /// <summary>
    /// Share of a concept's top sentences that belong to their most common ground-truth group (e.g. planted
    /// sub-topic): 1 means the concept's top sentences all come from one group.
    /// </summary>
    public static double Purity(IReadOnlyList<Entry> entries, IReadOnlyList<int> group)
    {
        if (entries.Count == 0) return double.NaN;
        return entries.GroupBy(e => group[e.Row]).Max(g => g.Count()) / (double)entries.Count;
    }
}

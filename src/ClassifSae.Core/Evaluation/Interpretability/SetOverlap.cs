namespace ClassifSae.Evaluation.Interpretability;

/// <summary>Overlap of the concepts' activating sets (spec 02 §6.8): mean pairwise Jaccard, redundancy, coverage.</summary>
public sealed record SetOverlap(double AverageJaccard, double Redundancy, double Coverage)
{
    public static SetOverlap Compute(IReadOnlyList<int[]> sets, int sentences)
    {
        var hashed = sets.Select(s => s.ToHashSet()).ToArray();
        double jaccard = 0;
        var pairs = 0;
        for (var a = 0; a < hashed.Length; a++)
            for (var b = a + 1; b < hashed.Length; b++)
            {
                var inter = hashed[a].Count(hashed[b].Contains);
                var union = hashed[a].Count + hashed[b].Count - inter;
                jaccard += union == 0 ? 0 : (double)inter / union;
                pairs++;
            }
        var covered = hashed.SelectMany(s => s).Distinct().Count();
        return new SetOverlap(
            pairs == 0 ? 0 : jaccard / pairs,
            covered == 0 ? 0 : (double)sets.Sum(s => s.Length) / covered,
            sentences == 0 ? 0 : (double)covered / sentences);
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// The activating set of each selected concept (spec 02 §6.4): the sentences whose activation falls in the
/// higher-mean component of a two-component Gaussian mixture fitted to that concept's activations.
/// </summary>
public static class ActiveSets
{
    /// <param name="activations">unmasked activations [N, F] (the method's own encode)</param>
    /// <param name="selected">z_class, in selection order</param>
    /// <returns>per selected concept (same order), the sorted indices of its active sentences</returns>
    public static int[][] Compute(Tensor activations, IReadOnlyList<int> selected)
    {
        // A method whose concepts are all dead selects none (TorchSharp cannot read an empty tensor back).
        if (selected.Count == 0) return [];
        using var cols = activations.index_select(1, tensor(selected.Select(j => (long)j).ToArray())).to(ScalarType.Float64).T.contiguous();
        var n = (int)activations.size(0);
        var flat = cols.data<double>().ToArray();
        var sets = new int[selected.Count][];
        Parallel.For(0, selected.Count, c =>
        {
            var x = new ArraySegment<double>(flat, c * n, n);
            var gmm = GaussianMixture1D.Fit(x);
            var active = gmm.Active(x);
            sets[c] = Enumerable.Range(0, n).Where(i => active[i]).ToArray();
        });
        return sets;
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// A concept's activating set under upstream's rule and the size its ConceptSim is weighted by (spec 04 §6.4.3):
/// constant activations → no set, size 0; otherwise the sentences strictly above the lower class of a 2-class Jenks
/// partition, size 1 when at most one sentence is active (even none) and the set's size otherwise.
/// </summary>
public sealed record JenksActivatingSet(int[] Active, int Size)
{
    /// <summary>Whether ConceptSim is computed (≥ 2 active sentences); otherwise it is 0.</summary>
    public bool HasPairs => Active.Length > 1;
}

/// <summary>The Jenks activating sets of the selected concepts, from the unmasked activations (fp32, as upstream's NumPy column).</summary>
public static class JenksActivatingSets
{
    /// <param name="activations">unmasked activations [N, F]</param>
    /// <param name="selected">z_class, in selection order</param>
    public static JenksActivatingSet[] Compute(Tensor activations, IReadOnlyList<int> selected)
    {
        // A method whose concepts are all dead selects none (TorchSharp cannot read an empty tensor back).
        if (selected.Count == 0) return [];
        using var cols = activations.index_select(1, tensor(selected.Select(j => (long)j).ToArray())).to(ScalarType.Float32).T.contiguous();
        var n = (int)activations.size(0);
        var flat = cols.data<float>().ToArray();
        var sets = new JenksActivatingSet[selected.Count];
        Parallel.For(0, selected.Count, c => sets[c] = Of(new ArraySegment<float>(flat, c * n, n)));
        return sets;
    }

    public static JenksActivatingSet Of(IReadOnlyList<float> v)
    {
        if (AllClose(v, v[0])) return new JenksActivatingSet([], 0);
        var threshold = JenksBreaks.Compute(v.Select(x => (double)x), 2)[1];
        var active = Enumerable.Range(0, v.Count).Where(i => v[i] > threshold).ToArray();
        return new JenksActivatingSet(active, active.Length <= 1 ? 1 : active.Length);
    }

    /// <summary>numpy.allclose(v, v0) on a float32 column: |v_i − v0| (in float32) ≤ 1e-8 + 1e-5·|v0| for every i.</summary>
    private static bool AllClose(IReadOnlyList<float> v, float v0)
    {
        var tolerance = (float)(1e-8 + 1e-5 * Math.Abs((double)v0));
        for (var i = 0; i < v.Count; i++)
            if (!(MathF.Abs(v[i] - v0) <= tolerance)) return false;
        return true;
    }
}

using TorchSharp;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>
/// Shared plumbing of the plain C# double-precision reference forwards (no TorchSharp ops): weights as double arrays,
/// dense layers, causal softmax attention over real keys with an optional window, and transformers' output order.
/// </summary>
internal abstract class ReferenceDecoder
{
    protected readonly Dictionary<string, double[]> W;

    protected ReferenceDecoder(torch.nn.Module model) =>
        W = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to(torch.ScalarType.Float64).data<double>().ToArray());

    protected abstract int Layers { get; }
    protected abstract int Hidden { get; }
    protected abstract string EmbeddingName { get; }
    protected abstract double[][] BlockForward(int layer, double[][] x, int[] positions, int[] mask);
    protected abstract double[] FinalNorm(double[] x);
    protected abstract double[] Unembed(double[] normed);

    /// <summary>
    /// transformers' <c>output_hidden_states</c> [L+1][T][D] (the last entry after the final norm) and logits [T][V]. Real
    /// tokens (mask 1) are numbered from 0 and attend only to real tokens; a pad row attends to itself (never compared).
    /// </summary>
    /// <param name="prefix">soft-prompt rows put in front of the token embeddings (always real), or null</param>
    public (double[][][] HiddenStates, double[][] Logits) HfOutputs(int[] ids, int[]? mask = null, double[][]? prefix = null)
    {
        int d = Hidden;
        prefix ??= [];
        mask = [.. Enumerable.Repeat(1, prefix.Length), .. mask ?? Enumerable.Repeat(1, ids.Length)];
        var t = mask.Length;
        var positions = new int[t];
        for (int i = 0, seen = 0; i < t; i++) positions[i] = mask[i] == 1 ? seen++ : 0;
        var x = prefix.Concat(ids.Select(id => W[EmbeddingName].AsSpan(id * d, d).ToArray())).ToArray();
        var states = new List<double[][]> { x };
        for (var l = 0; l < Layers; l++)
        {
            x = BlockForward(l, x, positions, mask);
            if (l < Layers - 1) states.Add(x);
        }
        var normed = x.Select(FinalNorm).ToArray();
        states.Add(normed);
        return (states.ToArray(), normed.Select(Unembed).ToArray());
    }

    /// <summary>The evaluation tail: blocks <paramref name="fromLayer"/>… on the one-token sequence [hidden] at position 0, final norm, logits.</summary>
    public double[] Tail(double[] hidden, int fromLayer)
    {
        var x = new[] { hidden };
        for (var l = fromLayer; l < Layers; l++) x = BlockForward(l, x, [0], [1]);
        return Unembed(FinalNorm(x[0]));
    }

    /// <summary>
    /// Attention of one head: query i sees keys j ≤ i that are real (and i − j &lt; window); returns Σ softmax(q·k/√hd) v.
    /// </summary>
    protected static double[] AttendOne(double[][] q, double[][] k, double[][] v, int i, int[] mask, int? window)
    {
        var keys = Enumerable.Range(0, i + 1).Where(j => mask[j] == 1 && (window is null || i - j < window)).DefaultIfEmpty(i).ToArray();
        var hd = q[i].Length;
        var scores = keys.Select(j => Dot(q[i], k[j]) / Math.Sqrt(hd)).ToArray();
        var max = scores.Max();
        var e = scores.Select(s => Math.Exp(s - max)).ToArray();
        var z = e.Sum();
        var outp = new double[v[0].Length];
        for (var n = 0; n < keys.Length; n++)
            for (var c = 0; c < outp.Length; c++) outp[c] += e[n] / z * v[keys[n]][c];
        return outp;
    }

    protected double[] Linear(double[] x, string weight, string? bias)
    {
        var w = W[weight];
        var b = bias is not null && W.TryGetValue(bias, out var bb) ? bb : null;
        var inDim = x.Length;
        var outDim = w.Length / inDim;
        return Enumerable.Range(0, outDim).Select(o => Dot(x, w.AsSpan(o * inDim, inDim)) + (b?[o] ?? 0)).ToArray();
    }

    protected static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    protected static double[] Add(params double[][] xs) =>
        Enumerable.Range(0, xs[0].Length).Select(j => xs.Sum(x => x[j])).ToArray();
}

using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>A model's state dict as double arrays, and the plain C# double-precision building blocks of the reference forwards.</summary>
internal sealed class ReferenceWeights(nn.Module model)
{
    private readonly Dictionary<string, double[]> _w = model.state_dict().ToDictionary(
        kv => kv.Key, kv => kv.Value.to(ScalarType.Float64).data<double>().ToArray());

    public double[] this[string name] => _w[name];

    /// <summary>Row <paramref name="row"/> of a [rows, width] table.</summary>
    public double[] Row(string name, int row, int width) => _w[name].AsSpan(row * width, width).ToArray();

    /// <summary>y = W x + b, W stored [out, in] as torch.nn.Linear.</summary>
    public double[] Linear(double[] x, string prefix, bool bias = true)
    {
        var w = _w[prefix + ".weight"];
        var outDim = w.Length / x.Length;
        var b = bias ? _w[prefix + ".bias"] : null;
        var y = new double[outDim];
        for (var o = 0; o < outDim; o++)
        {
            var s = b?[o] ?? 0;
            for (var i = 0; i < x.Length; i++) s += w[o * x.Length + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    public double[] LayerNorm(double[] x, string prefix, double eps)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        var (g, b) = (_w[prefix + ".weight"], _w[prefix + ".bias"]);
        return x.Select((v, i) => (v - mean) / Math.Sqrt(variance + eps) * g[i] + b[i]).ToArray();
    }

    public static double[] Add(double[] a, double[] b) => a.Zip(b, (u, v) => u + v).ToArray();

    public static double Dot(double[] a, int aOffset, double[] b, int bOffset, int n)
    {
        double s = 0;
        for (var c = 0; c < n; c++) s += a[aOffset + c] * b[bOffset + c];
        return s;
    }

    /// <summary>Softmax over the keys with mask 1; a row with none (a pad query of a fully masked row) gets zeros.</summary>
    public static double[] MaskedSoftmax(double[] scores, int[] mask)
    {
        var keys = Enumerable.Range(0, scores.Length).Where(j => mask[j] == 1).ToArray();
        var p = new double[scores.Length];
        if (keys.Length == 0) return p;
        var max = keys.Max(j => scores[j]);
        foreach (var j in keys) p[j] = Math.Exp(scores[j] - max);
        var z = keys.Sum(j => p[j]);
        foreach (var j in keys) p[j] /= z;
        return p;
    }
}

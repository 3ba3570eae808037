using ClassifSae.Backbones.Bert;
using ClassifSae.Formats;
using ClassifSae.SentenceEncoders.MiniLm;

namespace ClassifSae.Tests.SentenceEncoders;

/// <summary>
/// An independent sentence-transformers BERT in plain C# doubles, written from the HF modelling code (post-LN
/// blocks, attention.output and output as dense + residual + LayerNorm, exact GELU, token type 0) plus mean
/// pooling over all tokens of one unpadded sequence and L2 normalisation. It reads the safetensors file itself:
/// the oracle for our TorchSharp model, loader and pooling.
/// </summary>
internal sealed class ReferenceBert
{
    private readonly BertConfig _c;
    private readonly Dictionary<string, double[]> _w;

    public ReferenceBert(BertConfig config, string weightsFile, string stripPrefix = "")
    {
        _c = config;
        var tensors = SafetensorsFile.Read(weightsFile);
        _w = tensors.Where(kv => kv.Value.is_floating_point()).ToDictionary(
            kv => kv.Key.StartsWith(stripPrefix, StringComparison.Ordinal) ? kv.Key[stripPrefix.Length..] : kv.Key,
            kv => kv.Value.to(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray());
        foreach (var t in tensors.Values) t.Dispose();
    }

    /// <summary>The unit-norm sentence embedding of one id sequence ([CLS] … [SEP], no padding).</summary>
    public double[] Embed(int[] ids)
    {
        var mean = MeanPooled(ids);
        var norm = Math.Sqrt(mean.Sum(v => v * v));
        return mean.Select(v => v / norm).ToArray();
    }

    public double[] MeanPooled(int[] ids)
    {
        var x = States(ids)[^1];
        return Enumerable.Range(0, _c.HiddenSize).Select(j => x.Average(row => row[j])).ToArray();
    }

    /// <summary>transformers' hidden_states of one unpadded sequence: the embeddings, then each layer's output ([L+1][T][D]).</summary>
    public double[][][] States(int[] ids)
    {
        int t = ids.Length, d = _c.HiddenSize;
        var x = Enumerable.Range(0, t).Select(i => LayerNorm(Enumerable.Range(0, d).Select(j =>
            _w["embeddings.word_embeddings.weight"][ids[i] * d + j]
            + _w["embeddings.position_embeddings.weight"][i * d + j]
            + _w["embeddings.token_type_embeddings.weight"][j]).ToArray(), "embeddings.LayerNorm")).ToArray();
        var states = new List<double[][]> { x };
        for (var l = 0; l < _c.NumLayers; l++) states.Add(Layer(states[^1], l));
        return states.ToArray();
    }

    /// <summary>One post-LN block over the positions of <paramref name="x"/> (all attending to all).</summary>
    public double[][] Layer(double[][] x, int l)
    {
        var d = _c.HiddenSize;
        var p = $"encoder.layer.{l}.";
        var ctx = Attention(x, p + "attention.self.");
        var a = x.Select((row, i) => LayerNorm(Add(Linear(ctx[i], p + "attention.output.dense", d), row), p + "attention.output.LayerNorm")).ToArray();
        return a.Select(row =>
        {
            var up = Linear(row, p + "intermediate.dense", _c.IntermediateSize).Select(ReferenceMath.Gelu).ToArray();
            return LayerNorm(Add(Linear(up, p + "output.dense", d), row), p + "output.LayerNorm");
        }).ToArray();
    }

    /// <summary>BertForSequenceClassification's head on one state (eval mode): classifier(tanh(pooler.dense(h))).</summary>
    public double[] ClassifierLogits(double[] state, int classes)
    {
        var pooled = Linear(state, "pooler.dense", _c.HiddenSize).Select(Math.Tanh).ToArray();
        return Linear(pooled, "classifier", classes);
    }

    /// <summary>Bidirectional attention over every position, heads merged back to [T][D] (before the output dense).</summary>
    private double[][] Attention(double[][] x, string p)
    {
        int t = x.Length, hd = _c.HeadDim;
        var q = x.Select(r => Linear(r, p + "query", _c.HiddenSize)).ToArray();
        var k = x.Select(r => Linear(r, p + "key", _c.HiddenSize)).ToArray();
        var v = x.Select(r => Linear(r, p + "value", _c.HiddenSize)).ToArray();
        var merged = Enumerable.Range(0, t).Select(_ => new double[_c.HiddenSize]).ToArray();
        for (var h = 0; h < _c.NumHeads; h++)
        {
            var o = h * hd;
            for (var i = 0; i < t; i++)
            {
                var scores = Enumerable.Range(0, t).Select(j => Enumerable.Range(o, hd).Sum(c => q[i][c] * k[j][c]) / Math.Sqrt(hd)).ToArray();
                var max = scores.Max();
                var e = scores.Select(s => Math.Exp(s - max)).ToArray();
                var z = e.Sum();
                for (var j = 0; j < t; j++)
                    for (var c = o; c < o + hd; c++) merged[i][c] += e[j] / z * v[j][c];
            }
        }
        return merged;
    }

    private double[] LayerNorm(double[] x, string name)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        var (g, b) = (_w[name + ".weight"], _w[name + ".bias"]);
        return x.Select((v, i) => (v - mean) / Math.Sqrt(variance + _c.LayerNormEps) * g[i] + b[i]).ToArray();
    }

    /// <summary>y = W x + b with W stored [out, in], as torch.nn.Linear.</summary>
    private double[] Linear(double[] x, string name, int outDim)
    {
        var (w, b) = (_w[name + ".weight"], _w[name + ".bias"]);
        return Enumerable.Range(0, outDim).Select(o => Enumerable.Range(0, x.Length).Sum(i => w[o * x.Length + i] * x[i]) + b[o]).ToArray();
    }

    private static double[] Add(double[] a, double[] b) => a.Zip(b, (u, v) => u + v).ToArray();
}

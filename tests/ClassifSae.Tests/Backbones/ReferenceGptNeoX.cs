using ClassifSae.Backbones.GptNeoX;

namespace ClassifSae.Tests.Backbones;

/// <summary>
/// An independent GPT-NeoX forward in plain C# doubles, written from the HF modelling description (fused QKV
/// laid out per head as q,k,v; rotate-half rotary on the first rotary_pct of each head; parallel residual;
/// exact GELU; LayerNorm ε). No TorchSharp: the parity oracle for our TorchSharp model.
/// </summary>
internal sealed class ReferenceGptNeoX
{
    private readonly GptNeoXConfig _c;
    private readonly Dictionary<string, double[]> _w;

    public ReferenceGptNeoX(GptNeoXForCausalLM model)
    {
        _c = model.Config;
        _w = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray());
    }

    /// <summary>Hidden states entering each block (index 0 = embeddings) plus the last block's output, and logits [T][V].</summary>
    /// <param name="mask">1 = real token, 0 = left padding (null: all real). Real tokens are numbered from 0 and attend only to
    /// real tokens; a padding row attends to itself (its values are never compared).</param>
    public (double[][][] Hidden, double[][] Logits) Forward(int[] ids, int[]? mask = null)
    {
        int t = ids.Length, d = _c.HiddenSize;
        mask ??= Enumerable.Repeat(1, t).ToArray();
        var positions = new int[t];
        for (int i = 0, seen = 0; i < t; i++) positions[i] = mask[i] == 1 ? seen++ : 0;
        var x = ids.Select(id => _w["gpt_neox.embed_in.weight"].AsSpan(id * d, d).ToArray()).ToArray();
        var hidden = new List<double[][]> { Copy(x) };
        for (var l = 0; l < _c.NumLayers; l++)
        {
            var p = $"gpt_neox.layers.{l}.";
            var attn = Attention(x.Select(r => LayerNorm(r, p + "input_layernorm")).ToArray(), p, positions, mask);
            var mlp = x.Select(r => Mlp(LayerNorm(r, p + "post_attention_layernorm"), p)).ToArray();
            x = Enumerable.Range(0, t).Select(i => Enumerable.Range(0, d).Select(j => x[i][j] + attn[i][j] + mlp[i][j]).ToArray()).ToArray();
            hidden.Add(Copy(x));
        }
        var logits = x.Select(r => Linear(LayerNorm(r, "gpt_neox.final_layer_norm"), "embed_out.weight", null, _c.VocabSize)).ToArray();
        return (hidden.ToArray(), logits);
    }

    /// <summary>transformers' <c>output_hidden_states</c> [L+1][T][D] (the last entry after the final LayerNorm) and logits [T][V].</summary>
    public (double[][][] HiddenStates, double[][] Logits) HfOutputs(int[] ids, int[]? mask = null)
    {
        var (hidden, logits) = Forward(ids, mask);
        var states = hidden.Take(_c.NumLayers).Append(hidden[^1].Select(r => LayerNorm(r, "gpt_neox.final_layer_norm")).ToArray()).ToArray();
        return (states, logits);
    }

    private double[][] Attention(double[][] h, string p, int[] positions, int[] mask)
    {
        int t = h.Length, heads = _c.NumHeads, hd = _c.HeadDim, r = _c.RotaryDims;
        var qkv = h.Select(row => Linear(row, p + "attention.query_key_value.weight", p + "attention.query_key_value.bias", 3 * _c.HiddenSize)).ToArray();
        var merged = new double[t][];
        for (var i = 0; i < t; i++) merged[i] = new double[_c.HiddenSize];
        for (var head = 0; head < heads; head++)
        {
            double[] Slice(int pos, int which) => qkv[pos].AsSpan(head * 3 * hd + which * hd, hd).ToArray();
            var q = Enumerable.Range(0, t).Select(i => Rotate(Slice(i, 0), positions[i], r)).ToArray();
            var k = Enumerable.Range(0, t).Select(i => Rotate(Slice(i, 1), positions[i], r)).ToArray();
            var v = Enumerable.Range(0, t).Select(i => Slice(i, 2)).ToArray();
            for (var i = 0; i < t; i++)
            {
                var keys = Enumerable.Range(0, i + 1).Where(j => mask[j] == 1).DefaultIfEmpty(i).ToArray();
                var scores = keys.Select(j => Dot(q[i], k[j]) / Math.Sqrt(hd)).ToArray();
                var max = scores.Max();
                var e = scores.Select(s => Math.Exp(s - max)).ToArray();
                var z = e.Sum();
                for (var n = 0; n < keys.Length; n++)
                    for (var c = 0; c < hd; c++) merged[i][head * hd + c] += e[n] / z * v[keys[n]][c];
            }
        }
        return merged.Select(row => Linear(row, p + "attention.dense.weight", p + "attention.dense.bias", _c.HiddenSize)).ToArray();
    }

    private double[] Rotate(double[] x, int pos, int r)
    {
        var y = (double[])x.Clone();
        var half = r / 2;
        for (var i = 0; i < half; i++)
        {
            var freq = 1.0 / Math.Pow(_c.RotaryBase, 2.0 * i / r);
            double cos = Math.Cos(pos * freq), sin = Math.Sin(pos * freq);
            y[i] = x[i] * cos - x[i + half] * sin;
            y[i + half] = x[i + half] * cos + x[i] * sin;
        }
        return y;
    }

    private double[] Mlp(double[] h, string p)
    {
        var up = Linear(h, p + "mlp.dense_h_to_4h.weight", p + "mlp.dense_h_to_4h.bias", _c.IntermediateSize);
        return Linear(up.Select(ReferenceMath.Gelu).ToArray(), p + "mlp.dense_4h_to_h.weight", p + "mlp.dense_4h_to_h.bias", _c.HiddenSize);
    }

    private double[] LayerNorm(double[] x, string name)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        var (g, b) = (_w[name + ".weight"], _w[name + ".bias"]);
        return x.Select((v, i) => (v - mean) / Math.Sqrt(variance + _c.LayerNormEps) * g[i] + b[i]).ToArray();
    }

    private double[] Linear(double[] x, string weight, string? bias, int outDim)
    {
        var w = _w[weight];
        var b = bias is null ? null : _w[bias];
        var inDim = x.Length;
        return Enumerable.Range(0, outDim).Select(o => Dot(x, w.AsSpan(o * inDim, inDim).ToArray()) + (b?[o] ?? 0)).ToArray();
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (u, v) => u * v).Sum();

    private static double[][] Copy(double[][] x) => x.Select(r => (double[])r.Clone()).ToArray();
}

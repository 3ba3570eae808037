using ClassifSae.Backbones.GptJ;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>
/// An independent GPT-J forward in plain doubles from transformers' modelling description: one LayerNorm feeding attention
/// and MLP in parallel, rotary on the first rotary_dim dims of each head rotating adjacent pairs (2i, 2i+1) by
/// position · 10000^(−2i/rotary_dim), gelu_new, lm_head with bias.
/// </summary>
internal sealed class ReferenceGptJ(GptJForCausalLM model) : ReferenceDecoder(model)
{
    private readonly GptJConfig _c = model.Config;

    protected override int Layers => _c.NumLayers;
    protected override int Hidden => _c.HiddenSize;
    protected override string EmbeddingName => "transformer.wte.weight";

    protected override double[][] BlockForward(int layer, double[][] x, int[] positions, int[] mask)
    {
        var p = $"transformer.h.{layer}.";
        var normed = x.Select(r => LayerNorm(r, p + "ln_1")).ToArray();
        var attn = Attention(normed, p + "attn.", positions, mask);
        return x.Select((r, i) => Add(r, attn[i], Mlp(normed[i], p + "mlp."))).ToArray();
    }

    private double[][] Attention(double[][] h, string p, int[] positions, int[] mask)
    {
        int t = h.Length, heads = _c.NumHeads, hd = _c.HeadDim;
        var q = h.Select(r => Linear(r, p + "q_proj.weight", null)).ToArray();
        var k = h.Select(r => Linear(r, p + "k_proj.weight", null)).ToArray();
        var v = h.Select(r => Linear(r, p + "v_proj.weight", null)).ToArray();
        var merged = Enumerable.Range(0, t).Select(_ => new double[heads * hd]).ToArray();
        for (var head = 0; head < heads; head++)
        {
            var qh = Enumerable.Range(0, t).Select(i => Rotate(q[i].AsSpan(head * hd, hd).ToArray(), positions[i])).ToArray();
            var kh = Enumerable.Range(0, t).Select(i => Rotate(k[i].AsSpan(head * hd, hd).ToArray(), positions[i])).ToArray();
            var vh = Enumerable.Range(0, t).Select(i => v[i].AsSpan(head * hd, hd).ToArray()).ToArray();
            for (var i = 0; i < t; i++) AttendOne(qh, kh, vh, i, mask, null).CopyTo(merged[i], head * hd);
        }
        return merged.Select(r => Linear(r, p + "out_proj.weight", null)).ToArray();
    }

    private double[] Rotate(double[] x, int pos)
    {
        var y = (double[])x.Clone();
        var r = _c.RotaryDim;
        for (var i = 0; i < r / 2; i++)
        {
            var angle = pos / Math.Pow(10000, 2.0 * i / r);
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            y[2 * i] = x[2 * i] * cos - x[2 * i + 1] * sin;
            y[2 * i + 1] = x[2 * i + 1] * cos + x[2 * i] * sin;
        }
        return y;
    }

    private double[] Mlp(double[] x, string p)
    {
        var up = Linear(x, p + "fc_in.weight", p + "fc_in.bias");
        var act = up.Select(u => 0.5 * u * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)))).ToArray();
        return Linear(act, p + "fc_out.weight", p + "fc_out.bias");
    }

    private double[] LayerNorm(double[] x, string name)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        var (g, b) = (W[name + ".weight"], W[name + ".bias"]);
        return x.Select((v, i) => (v - mean) / Math.Sqrt(variance + _c.LayerNormEps) * g[i] + b[i]).ToArray();
    }

    protected override double[] FinalNorm(double[] x) => LayerNorm(x, "transformer.ln_f");

    protected override double[] Unembed(double[] normed) =>
        Linear(normed, _c.TieWordEmbeddings ? "transformer.wte.weight" : "lm_head.weight", "lm_head.bias");
}

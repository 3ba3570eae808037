using ClassifSae.Backbones.Llama;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>
/// An independent Llama / Mistral / Qwen2 forward in plain doubles, written from transformers' modelling description:
/// RMSNorm, rotate-half rotary (with llama3 frequency scaling computed here in double), GQA where query head h reads k/v
/// head h / (heads / kv_heads), SiLU-gated MLP, Qwen2's q/k/v biases, Mistral's sliding window by column distance.
/// </summary>
internal sealed class ReferenceLlama : ReferenceDecoder
{
    private readonly LlamaConfig _c;
    private readonly double[] _invFreq;

    public ReferenceLlama(LlamaForCausalLM model) : base(model)
    {
        _c = model.Config;
        _invFreq = InverseFrequencies(_c);
    }

    protected override int Layers => _c.NumLayers;
    protected override int Hidden => _c.HiddenSize;
    protected override string EmbeddingName => "model.embed_tokens.weight";

    /// <summary>transformers' llama3 rule in double: λ = 2π/f; λ &lt; orig/high: keep; λ &gt; orig/low: f/factor; between: interpolate.</summary>
    public static double[] InverseFrequencies(LlamaConfig c)
    {
        var d = c.HeadDim;
        var f = Enumerable.Range(0, d / 2).Select(i => 1.0 / Math.Pow(c.RopeTheta, 2.0 * i / d)).ToArray();
        if (c.RopeScaling is not { Kind: "llama3" } s) return f;
        return f.Select(inv =>
        {
            var wavelen = 2 * Math.PI / inv;
            if (wavelen < s.OriginalMaxPositions / s.HighFreqFactor) return inv;
            if (wavelen > s.OriginalMaxPositions / s.LowFreqFactor) return inv / s.Factor;
            var smooth = (s.OriginalMaxPositions / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
            return (1 - smooth) * inv / s.Factor + smooth * inv;
        }).ToArray();
    }

    protected override double[][] BlockForward(int layer, double[][] x, int[] positions, int[] mask)
    {
        var p = $"model.layers.{layer}.";
        var normed = x.Select(r => RmsNorm(r, p + "input_layernorm.weight")).ToArray();
        var attn = Attention(normed, p + "self_attn.", positions, mask);
        var h = x.Select((r, i) => Add(r, attn[i])).ToArray();
        return h.Select(r => Add(r, Mlp(RmsNorm(r, p + "post_attention_layernorm.weight"), p + "mlp."))).ToArray();
    }

    private double[][] Attention(double[][] h, string p, int[] positions, int[] mask)
    {
        int t = h.Length, heads = _c.NumHeads, kvHeads = _c.NumKeyValueHeads, hd = _c.HeadDim;
        var q = h.Select(r => Linear(r, p + "q_proj.weight", p + "q_proj.bias")).ToArray();
        var k = h.Select(r => Linear(r, p + "k_proj.weight", p + "k_proj.bias")).ToArray();
        var v = h.Select(r => Linear(r, p + "v_proj.weight", p + "v_proj.bias")).ToArray();
        var merged = Enumerable.Range(0, t).Select(_ => new double[heads * hd]).ToArray();
        for (var head = 0; head < heads; head++)
        {
            var kvHead = head / (heads / kvHeads);
            var qh = Enumerable.Range(0, t).Select(i => Rotate(q[i].AsSpan(head * hd, hd).ToArray(), positions[i])).ToArray();
            var kh = Enumerable.Range(0, t).Select(i => Rotate(k[i].AsSpan(kvHead * hd, hd).ToArray(), positions[i])).ToArray();
            var vh = Enumerable.Range(0, t).Select(i => v[i].AsSpan(kvHead * hd, hd).ToArray()).ToArray();
            for (var i = 0; i < t; i++) AttendOne(qh, kh, vh, i, mask, _c.SlidingWindow).CopyTo(merged[i], head * hd);
        }
        return merged.Select(r => Linear(r, p + "o_proj.weight", p + "o_proj.bias")).ToArray();
    }

    private double[] Rotate(double[] x, int pos)
    {
        var half = x.Length / 2;
        var y = new double[x.Length];
        for (var i = 0; i < half; i++)
        {
            double cos = Math.Cos(pos * _invFreq[i]), sin = Math.Sin(pos * _invFreq[i]);
            y[i] = x[i] * cos - x[i + half] * sin;
            y[i + half] = x[i + half] * cos + x[i] * sin;
        }
        return y;
    }

    private double[] Mlp(double[] x, string p)
    {
        var gate = Linear(x, p + "gate_proj.weight", p + "gate_proj.bias");
        var up = Linear(x, p + "up_proj.weight", p + "up_proj.bias");
        var gated = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
        return Linear(gated, p + "down_proj.weight", p + "down_proj.bias");
    }

    private double[] RmsNorm(double[] x, string weight)
    {
        var rms = Math.Sqrt(x.Select(v => v * v).Average() + _c.RmsNormEps);
        var w = W[weight];
        return x.Select((v, i) => w[i] * (v / rms)).ToArray();
    }

    protected override double[] FinalNorm(double[] x) => RmsNorm(x, "model.norm.weight");

    protected override double[] Unembed(double[] normed) =>
        Linear(normed, _c.TieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight", null);
}

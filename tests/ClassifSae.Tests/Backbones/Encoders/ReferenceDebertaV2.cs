using ClassifSae.Backbones.DebertaV2;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>
/// An independent DebertaV2ForSequenceClassification forward in plain C# doubles, written score by score from the HF
/// modelling description (spec 04 §3.7.5): embeddings LayerNorm'ed and multiplied by the mask; per head
/// S(i,j) = [Q_i·K_j + Q_i·K^r_c(i,j) + K_j·Q^r_p(j,i)] / √(hd·(1+#terms)), c(i,j) = clamp(b(i−j) + span), p(j,i) = clamp(−b(j−i) + span);
/// keys visible when query and key are both real; post-LN blocks; ContextPooler gelu(dense(h₀)) then the classifier.
/// The log-bucket b is evaluated in float32 like transformers (its ceil is float-sensitive); everything else in double.
/// </summary>
internal sealed class ReferenceDebertaV2(DebertaV2ForSequenceClassification model)
{
    private readonly DebertaV2Config _c = model.Config;
    private readonly ReferenceWeights _w = new(model);

    public static int Bucket(int delta, int buckets, int maxPosition)
    {
        if (buckets <= 0 || maxPosition <= 0) return delta;
        var mid = buckets / 2;
        if (Math.Abs(delta) <= mid) return delta;
        var ratio = MathF.Log(Math.Abs(delta) / (float)mid) / MathF.Log((float)((maxPosition - 1) / (double)mid));
        return Math.Sign(delta) * ((int)MathF.Ceiling(ratio * (mid - 1)) + mid);
    }

    public (double[][][] States, double[] Logits) Forward(int[] ids, int[] mask)
    {
        int t = ids.Length, d = _c.HiddenSize;
        var x = new double[t][];
        for (var i = 0; i < t; i++)
        {
            var e = _w.Row("deberta.embeddings.word_embeddings.weight", ids[i], d);
            if (_c.PositionBiasedInput) e = ReferenceWeights.Add(e, _w.Row("deberta.embeddings.position_embeddings.weight", i, d));
            if (_c.TypeVocabSize > 0) e = ReferenceWeights.Add(e, _w.Row("deberta.embeddings.token_type_embeddings.weight", 0, d));
            x[i] = _w.LayerNorm(e, "deberta.embeddings.LayerNorm", _c.LayerNormEps).Select(v => v * mask[i]).ToArray();
        }
        double[][]? rel = null;
        if (_c.RelativeAttention)
        {
            rel = Enumerable.Range(0, 2 * _c.AttentionSpan).Select(r => _w.Row("deberta.encoder.rel_embeddings.weight", r, d)).ToArray();
            if (_c.NormalizeRelativeEmbeddings) rel = rel.Select(r => _w.LayerNorm(r, "deberta.encoder.LayerNorm", _c.LayerNormEps)).ToArray();
        }
        var states = new List<double[][]> { x };
        for (var l = 0; l < _c.NumLayers; l++)
        {
            var p = $"deberta.encoder.layer.{l}.";
            var ctx = Attention(x, p + "attention.self.", mask, rel);
            var a = x.Select((row, i) => _w.LayerNorm(ReferenceWeights.Add(_w.Linear(ctx[i], p + "attention.output.dense"), row), p + "attention.output.LayerNorm", _c.LayerNormEps)).ToArray();
            x = a.Select(row =>
            {
                var up = _w.Linear(row, p + "intermediate.dense").Select(ReferenceMath.Gelu).ToArray();
                return _w.LayerNorm(ReferenceWeights.Add(_w.Linear(up, p + "output.dense"), row), p + "output.LayerNorm", _c.LayerNormEps);
            }).ToArray();
            states.Add(x);
        }
        return (states.ToArray(), Head(x[0]));
    }

    public double[] Head(double[] first) => _w.Linear(_w.Linear(first, "pooler.dense").Select(ReferenceMath.Gelu).ToArray(), "classifier");

    private double[][] Attention(double[][] x, string p, int[] mask, double[][]? rel)
    {
        int t = x.Length, hd = _c.HeadSize, span = _c.AttentionSpan;
        var q = x.Select(r => _w.Linear(r, p + "query_proj")).ToArray();
        var k = x.Select(r => _w.Linear(r, p + "key_proj")).ToArray();
        var v = x.Select(r => _w.Linear(r, p + "value_proj")).ToArray();
        var relative = _c.RelativeAttention && rel is not null;
        var c2p = relative && _c.C2P;
        var p2c = relative && _c.P2C;
        var posKey = c2p ? rel!.Select(r => _w.Linear(r, p + (_c.ShareAttKey ? "key_proj" : "pos_key_proj"))).ToArray() : null;
        var posQuery = p2c ? rel!.Select(r => _w.Linear(r, p + (_c.ShareAttKey ? "query_proj" : "pos_query_proj"))).ToArray() : null;
        var scale = Math.Sqrt(hd * (1 + (c2p ? 1 : 0) + (p2c ? 1 : 0)));
        int Clamp(int r) => Math.Clamp(r, 0, 2 * span - 1);
        int B(int delta) => Bucket(delta, _c.PositionBuckets, _c.RelativeRange);
        var merged = Enumerable.Range(0, t).Select(_ => new double[_c.NumHeads * hd]).ToArray();
        for (var h = 0; h < _c.NumHeads; h++)
        {
            var o = h * hd;
            for (var i = 0; i < t; i++)
            {
                var scores = new double[t];
                var visible = new int[t];
                for (var j = 0; j < t; j++)
                {
                    var s = ReferenceWeights.Dot(q[i], o, k[j], o, hd);
                    if (c2p) s += ReferenceWeights.Dot(q[i], o, posKey![Clamp(B(i - j) + span)], o, hd);
                    if (p2c) s += ReferenceWeights.Dot(k[j], o, posQuery![Clamp(-B(j - i) + span)], o, hd);
                    scores[j] = s / scale;
                    visible[j] = mask[i] * mask[j];
                }
                var probs = ReferenceWeights.MaskedSoftmax(scores, visible);
                for (var j = 0; j < t; j++)
                    for (var c = 0; c < hd; c++) merged[i][o + c] += probs[j] * v[j][o + c];
            }
        }
        return merged;
    }
}

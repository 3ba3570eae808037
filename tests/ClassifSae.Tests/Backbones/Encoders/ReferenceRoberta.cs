using ClassifSae.Backbones.Roberta;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>
/// An independent RobertaForSequenceClassification forward in plain C# doubles, written from the HF modelling description:
/// positions pad_token_id + 1 + (index among non-pad ids), pads at pad_token_id; word + position + type-0 embeddings, LayerNorm;
/// post-LN blocks (LN(x + dense(attn)), LN(h + dense(gelu(dense h)))) with padded keys masked; head tanh(dense(h₀)) → out_proj.
/// No TorchSharp: the parity oracle for our model.
/// </summary>
internal sealed class ReferenceRoberta(RobertaForSequenceClassification model)
{
    private readonly RobertaConfig _c = model.Config;
    private readonly ReferenceWeights _w = new(model);

    /// <summary>transformers' hidden_states [L+1][T][D] and logits [C] of one row (ids right-padded with pad_token_id, mask 1 = real).</summary>
    public (double[][][] States, double[] Logits) Forward(int[] ids, int[] mask)
    {
        int t = ids.Length, d = _c.HiddenSize, seen = 0;
        var x = new double[t][];
        for (var i = 0; i < t; i++)
        {
            var position = ids[i] == _c.PadTokenId ? _c.PadTokenId : _c.PadTokenId + ++seen;
            var e = ReferenceWeights.Add(ReferenceWeights.Add(_w.Row("roberta.embeddings.word_embeddings.weight", ids[i], d),
                _w.Row("roberta.embeddings.position_embeddings.weight", position, d)), _w.Row("roberta.embeddings.token_type_embeddings.weight", 0, d));
            x[i] = _w.LayerNorm(e, "roberta.embeddings.LayerNorm", _c.LayerNormEps);
        }
        var states = new List<double[][]> { x };
        for (var l = 0; l < _c.NumLayers; l++)
        {
            var p = $"roberta.encoder.layer.{l}.";
            var ctx = Attention(x, p + "attention.self.", mask);
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

    public double[] Head(double[] first) => _w.Linear(_w.Linear(first, "classifier.dense").Select(Math.Tanh).ToArray(), "classifier.out_proj");

    private double[][] Attention(double[][] x, string p, int[] mask)
    {
        int t = x.Length, hd = _c.HiddenSize / _c.NumHeads;
        var q = x.Select(r => _w.Linear(r, p + "query")).ToArray();
        var k = x.Select(r => _w.Linear(r, p + "key")).ToArray();
        var v = x.Select(r => _w.Linear(r, p + "value")).ToArray();
        var merged = Enumerable.Range(0, t).Select(_ => new double[_c.HiddenSize]).ToArray();
        for (var h = 0; h < _c.NumHeads; h++)
            for (var i = 0; i < t; i++)
            {
                var scores = Enumerable.Range(0, t).Select(j => ReferenceWeights.Dot(q[i], h * hd, k[j], h * hd, hd) / Math.Sqrt(hd)).ToArray();
                var probs = ReferenceWeights.MaskedSoftmax(scores, mask);
                for (var j = 0; j < t; j++)
                    for (var c = 0; c < hd; c++) merged[i][h * hd + c] += probs[j] * v[j][h * hd + c];
            }
        return merged;
    }
}

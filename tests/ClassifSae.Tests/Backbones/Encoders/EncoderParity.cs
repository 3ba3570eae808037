using ClassifSae.Backbones;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>
/// Compares an encoder classifier with its double-precision reference on a right-padded batch, and writes golden files in
/// build/tools/dump_golden.py's format from the reference (pads filled with garbage: the verifier must not read them).
/// </summary>
internal static class EncoderParity
{
    /// <summary>ids, mask → transformers' hidden_states [L+1][T][D] and logits [C] of one row.</summary>
    public delegate (double[][][] States, double[] Logits) Reference(int[] ids, int[] mask);

    public static (int[] Ids, int[] Mask)[] Padded(int[][] rows, int padId)
    {
        var t = rows.Max(r => r.Length);
        return rows.Select(r => (r.Concat(Enumerable.Repeat(padId, t - r.Length)).ToArray(), Enumerable.Range(0, t).Select(j => j < r.Length ? 1 : 0).ToArray())).ToArray();
    }

    /// <summary>Largest |ours − reference| over every hidden state at real tokens, and over the logits, for the batch of <paramref name="rows"/>.</summary>
    public static (double Hidden, double Logits) MaxDiff(IClassifierBackbone model, int[][] rows, int padId, Reference reference)
    {
        model.Module.eval();
        using var _ = no_grad();
        using var batch = model.Batch(rows, padId, maxLength: null, CPU);
        using var outputs = model.Outputs(batch);
        var states = outputs.HiddenStates.to(ScalarType.Float64);
        var logits = outputs.Logits.to(ScalarType.Float64);
        double hidden = 0, logit = 0;
        var padded = Padded(rows, padId);
        for (var b = 0; b < rows.Length; b++)
        {
            var (refStates, refLogits) = reference(padded[b].Ids, padded[b].Mask);
            for (var l = 0; l < refStates.Length; l++)
                for (var i = 0; i < rows[b].Length; i++)
                {
                    var ours = states[l, b, i].data<double>().ToArray();
                    hidden = Math.Max(hidden, ours.Zip(refStates[l][i], (u, v) => Math.Abs(u - v)).Max());
                }
            logit = Math.Max(logit, logits[b].data<double>().ToArray().Zip(refLogits, (u, v) => Math.Abs(u - v)).Max());
        }
        states.Dispose();
        logits.Dispose();
        return (hidden, logit);
    }

    public const float PadValue = 1e6f;

    public static string WriteGolden(string path, int[][] rows, int padId, Reference reference, Action<Dictionary<string, Tensor>>? tamper = null)
    {
        var tensors = new Dictionary<string, Tensor>();
        var padded = Padded(rows, padId);
        for (var i = 0; i < rows.Length; i++)
        {
            var (ids, mask) = padded[i];
            var (states, logits) = reference(ids, mask);
            var (t, d) = (ids.Length, states[0][0].Length);
            var h = states.SelectMany(s => s.SelectMany((row, j) => row.Select(x => mask[j] == 0 ? PadValue : (float)x))).ToArray();
            tensors[$"input_ids.{i}"] = tensor(ids.Select(x => (long)x).ToArray());
            tensors[$"attention_mask.{i}"] = tensor(mask.Select(x => (long)x).ToArray());
            tensors[$"hidden_states.{i}"] = tensor(h, [states.Length, t, d]);
            tensors[$"logits.{i}"] = tensor(logits.Select(x => (float)x).ToArray());
        }
        tamper?.Invoke(tensors);
        SafetensorsFile.Write(path, tensors);
        foreach (var t in tensors.Values) t.Dispose();
        return path;
    }
}

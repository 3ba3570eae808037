using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>
/// Compares our forward with golden tensors dumped from the reference implementation (transformers):
/// for each prompt i the file holds <c>input_ids.i</c> [T] (int64), <c>hidden_states.i</c> [L+1, T, D]
/// (HF <c>output_hidden_states</c>; the last entry is after the final LayerNorm) and <c>logits.i</c> [T, V].
/// </summary>
public static class BackboneParity
{
    public sealed record PromptDiff(int Prompt, int Tokens, double MaxHiddenDiff, double MaxLogitDiff);

    public static IReadOnlyList<PromptDiff> Compare(GptNeoXForCausalLM model, string goldenFile)
    {
        var golden = SafetensorsFile.Read(goldenFile);
        try
        {
            var prompts = golden.Keys.Where(k => k.StartsWith("input_ids.", StringComparison.Ordinal))
                .Select(k => int.Parse(k["input_ids.".Length..])).Order().ToList();
            if (prompts.Count == 0) throw new InvalidDataException($"{goldenFile}: no 'input_ids.N' tensors (was it written by build/tools/dump_golden.py?)");
            model.eval();
            using var _ = no_grad();
            var diffs = new List<PromptDiff>();
            foreach (var i in prompts)
            {
                using var scope = NewDisposeScope();
                var ids = golden[$"input_ids.{i}"];
                var hiddenGold = Require(golden, $"hidden_states.{i}", goldenFile).to(ScalarType.Float64);
                var logitsGold = Require(golden, $"logits.{i}", goldenFile).to(ScalarType.Float64);
                var t = ids.size(0);
                var batch = new TokenBatch(ids.unsqueeze(0).to(ScalarType.Int64), null, arange(t, dtype: ScalarType.Int64).unsqueeze(0));
                var n = model.Config.NumLayers;
                if (hiddenGold.size(0) != n + 1)
                    throw new InvalidDataException($"{goldenFile}: hidden_states.{i} has {hiddenGold.size(0)} layers, the model needs {n + 1}");
                double maxHidden = 0;
                for (var layer = 0; layer < n; layer++)
                {
                    var ours = model.Residual(batch, layer)[0].to(ScalarType.Float64);
                    maxHidden = Math.Max(maxHidden, (ours - hiddenGold[layer]).abs().max().item<double>());
                }
                var logits = model.Logits(batch)[0].to(ScalarType.Float64);
                var maxLogit = (logits - logitsGold).abs().max().item<double>();
                diffs.Add(new PromptDiff(i, (int)t, maxHidden, maxLogit));
            }
            return diffs;
        }
        finally
        {
            foreach (var t in golden.Values) t.Dispose();
        }
    }

    private static Tensor Require(Dictionary<string, Tensor> golden, string key, string file) =>
        golden.TryGetValue(key, out var t) ? t : throw new InvalidDataException($"{file}: missing tensor '{key}'");
}

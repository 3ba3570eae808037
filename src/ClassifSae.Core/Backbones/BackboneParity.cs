using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Backbones;

/// <summary>
/// Compares a backbone's forward with golden tensors dumped from the reference implementation (transformers, by
/// build/tools/dump_golden.py). For each prompt i the file holds <c>input_ids.i</c> [T] and <c>attention_mask.i</c> [T]
/// (int64; a row of a padded batch: left padding for causal LMs, right for sequence classifiers), <c>hidden_states.i</c> [L+1, T, D] (float32, transformers'
/// <c>output_hidden_states</c> order) and <c>logits.i</c> ([T, V] for causal LMs, [C] for sequence classifiers).
/// Only real tokens (mask 1) are compared: what a model computes at padding is never used and differs between implementations.
/// </summary>
public static class BackboneParity
{
    /// <param name="WorstHiddenState">index in hidden_states of <paramref name="MaxHiddenDiff"/></param>
    public sealed record PromptDiff(int Prompt, int Tokens, int RealTokens, double MaxHiddenDiff, int WorstHiddenState, double MaxLogitDiff)
    {
        public double Worst => Math.Max(MaxHiddenDiff, MaxLogitDiff);
    }

    public static IReadOnlyList<PromptDiff> Compare(IClassifierBackbone backbone, string goldenFile)
    {
        if (!File.Exists(goldenFile)) throw new FileNotFoundException($"{goldenFile}: golden file not found", goldenFile);
        Dictionary<string, Tensor> golden;
        try { golden = SafetensorsFile.Read(goldenFile); }
        catch (Exception e) when (e is not IOException) { throw new InvalidDataException($"{goldenFile}: not a safetensors file ({e.Message})"); }
        try
        {
            var prompts = golden.Keys.Where(k => k.StartsWith("input_ids.", StringComparison.Ordinal))
                .Select(k => int.TryParse(k["input_ids.".Length..], out var i) ? i : throw new InvalidDataException($"{goldenFile}: tensor '{k}' is not named input_ids.<integer>"))
                .Order().ToList();
            if (prompts.Count == 0) throw new InvalidDataException($"{goldenFile}: no 'input_ids.N' tensors (was it written by build/tools/dump_golden.py?)");
            backbone.Module.eval();
            using var _ = no_grad();
            return prompts.Select(i => ComparePrompt(backbone, golden, i, goldenFile)).ToList();
        }
        finally
        {
            foreach (var t in golden.Values) t.Dispose();
        }
    }

    private static PromptDiff ComparePrompt(IClassifierBackbone backbone, Dictionary<string, Tensor> golden, int i, string file)
    {
        using var scope = NewDisposeScope();
        var shape = backbone.Shape;
        var ids = Require(golden, $"input_ids.{i}", file, ScalarType.Int64);
        var mask = Require(golden, $"attention_mask.{i}", file, ScalarType.Int64);
        var t = ids.size(0);
        Check(ids.dim() == 1 && t > 0, file, $"input_ids.{i} must be a non-empty 1-D tensor, got [{string.Join(", ", ids.shape)}]");
        Check(mask.shape.SequenceEqual(ids.shape), file, $"attention_mask.{i} has shape [{string.Join(", ", mask.shape)}], input_ids.{i} [{t}]");
        Check(mask.eq(0).logical_or(mask.eq(1)).all().item<bool>() && mask.sum().item<long>() > 0, file, $"attention_mask.{i} must hold 0/1 with at least one 1");
        Check(ids.min().item<long>() >= 0 && ids.max().item<long>() < shape.VocabSize, file, $"input_ids.{i} has ids outside 0..{shape.VocabSize - 1} (vocab_size of the model)");
        var hiddenGold = Require(golden, $"hidden_states.{i}", file, ScalarType.Float32).to(ScalarType.Float64);
        long[] hiddenShape = [shape.NumLayers + 1, t, shape.HiddenSize];
        Check(hiddenGold.shape.SequenceEqual(hiddenShape), file,
            $"hidden_states.{i} has shape [{string.Join(", ", hiddenGold.shape)}], the model gives [{string.Join(", ", hiddenShape)}] (L+1, T, D)");
        var logitsGold = Require(golden, $"logits.{i}", file, ScalarType.Float32).to(ScalarType.Float64);

        using var batch = backbone.Batch(ids.unsqueeze(0), mask.unsqueeze(0));
        using var outputs = backbone.Outputs(batch);
        var real = mask.nonzero().squeeze(1);
        var hidden = outputs.HiddenStates[.., 0].to(ScalarType.Float64).index_select(1, real);
        var perState = (hidden - hiddenGold.index_select(1, real)).abs().amax([1, 2]);
        var worstState = (int)perState.argmax().item<long>();
        var logits = outputs.Logits[0].to(ScalarType.Float64);
        Check(logits.shape.SequenceEqual(logitsGold.shape), file,
            $"logits.{i} has shape [{string.Join(", ", logitsGold.shape)}], the model gives [{string.Join(", ", logits.shape)}]");
        var logitDiff = outputs.PerTokenLogits ? (logits - logitsGold).index_select(0, real) : logits - logitsGold;
        return new PromptDiff(i, (int)t, (int)real.size(0), perState[worstState].item<double>(), worstState, logitDiff.abs().max().item<double>());
    }

    private static Tensor Require(Dictionary<string, Tensor> golden, string key, string file, ScalarType dtype)
    {
        if (!golden.TryGetValue(key, out var t)) throw new InvalidDataException($"{file}: missing tensor '{key}'");
        if (t.dtype != dtype) throw new InvalidDataException($"{file}: tensor '{key}' is {t.dtype}, expected {dtype}");
        return t;
    }

    private static void Check(bool ok, string file, string what)
    {
        if (!ok) throw new InvalidDataException($"{file}: {what}");
    }
}

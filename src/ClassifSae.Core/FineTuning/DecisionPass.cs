using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning;

/// <summary>
/// Runs the backbone over prompts (true label appended, as the original does) and returns, in input order,
/// the residual entering the hook block at the decision token [N, D] and the logits restricted to the label
/// tokens [N, K]. Prompts are batched by length so padding stays small.
/// </summary>
public static class DecisionPass
{
    public sealed record Result(Tensor Hidden, Tensor LabelLogits) : IDisposable
    {
        public long[] Predictions() => LabelLogits.argmax(1).data<long>().ToArray();

        public void Dispose()
        {
            Hidden.Dispose();
            LabelLogits.Dispose();
        }
    }

    public static Result Run(GptNeoXForCausalLM model, IReadOnlyList<int[]> fullPrompts, int hookLayer, IReadOnlyList<int> labelTokenIds,
        int padId, int batchSize, int maxLength, Device device, IProgressSink progress, string description)
    {
        if (fullPrompts.Count == 0) throw new ArgumentException("no prompts to run", nameof(fullPrompts));
        model.eval();
        using var _ = no_grad();
        var n = fullPrompts.Count;
        var d = model.Config.HiddenSize;
        var hidden = zeros(n, d);
        var logits = zeros(n, labelTokenIds.Count);
        using var labelIds = tensor(labelTokenIds.Select(i => (long)i).ToArray(), device: device);
        var byLength = Enumerable.Range(0, n).OrderBy(i => fullPrompts[i].Length).ThenBy(i => i).ToArray();
        using var bar = progress.Begin(description, n);
        for (var start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var idx = byLength[start..Math.Min(n, start + batchSize)];
            using var batch = TokenBatch.LeftPadded(idx.Select(i => fullPrompts[i]).ToList(), padId, device, maxLength);
            var (h, l) = model.Decision(batch, hookLayer, position: -2);
            using var rows = tensor(idx.Select(i => (long)i).ToArray());
            hidden.index_copy_(0, rows, h.cpu());
            logits.index_copy_(0, rows, l.index_select(1, labelIds).cpu());
            bar.Advance(idx.Length);
        }
        return new Result(hidden, logits);
    }
}

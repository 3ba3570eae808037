using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Backbones;

/// <summary>
/// Runs the backbone over encoded prompts (<see cref="IClassifierBackbone.EncodePrompt"/>) and returns, in input order,
/// the state entering the hook block at the decision token [N, D] and the logits restricted to the label
/// outputs [N, K], both float32 whatever the model computes in (a bfloat16/float16 model's results are widened as they are
/// collected). Prompts are batched by length so padding stays small.
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

    /// <param name="softPrompt">[P, D] vectors put in front of every prompt (soft-prompt alignment), or null</param>
    public static Result Run(IClassifierBackbone model, IReadOnlyList<int[]> fullPrompts, int hookLayer, IReadOnlyList<int> labelTokenIds,
        int padId, int batchSize, int maxLength, Device device, IProgressSink progress, string description, Tensor? softPrompt = null) =>
        Stream(model, fullPrompts, hookLayer, labelTokenIds, padId, batchSize, maxLength, device, progress, description,
            chunkRows: Math.Max(1, fullPrompts.Count), softPrompt).Single().Chunk;

    /// <summary>
    /// <see cref="Run"/> over consecutive chunks of <paramref name="chunkRows"/> prompts, each batched by length on its own and
    /// yielded (rows in input order, <c>Start</c> = index of its first prompt) before the next is computed: a caller that
    /// writes and disposes each chunk holds one chunk of states, however many prompts there are. The caller owns each chunk.
    /// </summary>
    public static IEnumerable<(int Start, Result Chunk)> Stream(IClassifierBackbone model, IReadOnlyList<int[]> fullPrompts, int hookLayer,
        IReadOnlyList<int> labelTokenIds, int padId, int batchSize, int maxLength, Device device, IProgressSink progress, string description,
        int chunkRows, Tensor? softPrompt = null)
    {
        if (softPrompt is not null && model is not ISoftPromptable)
            throw new ArgumentException($"a {model.Shape.Family} backbone cannot take a soft prompt (decoder families only)", nameof(softPrompt));
        if (fullPrompts.Count == 0) throw new ArgumentException("no prompts to run", nameof(fullPrompts));
        if (chunkRows <= 0) throw new ArgumentException($"chunk rows must be positive, got {chunkRows}", nameof(chunkRows));
        return Chunks();

        IEnumerable<(int, Result)> Chunks()
        {
            using var bar = progress.Begin(description, fullPrompts.Count);
            for (var start = 0; start < fullPrompts.Count; start += chunkRows)
            {
                var n = Math.Min(chunkRows, fullPrompts.Count - start);
                yield return (start, RunChunk(model, fullPrompts, start, n, hookLayer, labelTokenIds, padId, batchSize, maxLength, device, bar, softPrompt));
            }
        }
    }

    private static Result RunChunk(IClassifierBackbone model, IReadOnlyList<int[]> fullPrompts, int first, int n, int hookLayer,
        IReadOnlyList<int> labelTokenIds, int padId, int batchSize, int maxLength, Device device, IProgressTask bar, Tensor? softPrompt)
    {
        // Not disposed: .to may return the caller's own tensor. The prompt joins the embeddings, so it takes the model's dtype.
        var prompt = softPrompt?.to(device).to(ComputeDtype.Of(model));
        // With a soft prompt the tokens keep the right-most maxLength − P columns, so prompt and text fit the context (spec 04 §3.3).
        var tokenLength = prompt is null ? maxLength : Math.Max(1, maxLength - (int)prompt.size(0));
        model.Module.eval();
        using var _ = no_grad();
        var d = model.Shape.HiddenSize;
        var hidden = zeros(n, d);
        var logits = zeros(n, labelTokenIds.Count);
        using var labelIds = tensor(labelTokenIds.Select(i => (long)i).ToArray(), device: device);
        var byLength = Enumerable.Range(0, n).OrderBy(i => fullPrompts[first + i].Length).ThenBy(i => i).ToArray();
        for (var start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var idx = byLength[start..Math.Min(n, start + batchSize)];
            using var batch = model.Batch(idx.Select(i => fullPrompts[first + i]).ToList(), padId, tokenLength, device);
            var (h, l) = prompt is null ? model.Decision(batch, hookLayer) : ((ISoftPromptable)model).Decision(batch, prompt, hookLayer);
            using var rows = tensor(idx.Select(i => (long)i).ToArray());
            hidden.index_copy_(0, rows, h.cpu().to(ScalarType.Float32));
            logits.index_copy_(0, rows, l.index_select(1, labelIds).cpu().to(ScalarType.Float32));
            bar.Advance(idx.Length);
        }
        return new Result(hidden, logits);
    }
}

using ClassifSae.Backbones;
using ClassifSae.Runtime;
using ClassifSae.Tests.Backbones;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Caching;

public class DecisionPassStreamTests
{
    [Fact]
    public void Chunks_cover_the_prompts_in_order_hold_at_most_chunk_rows_and_equal_the_whole_pass()
    {
        using var scope = NewDisposeScope();
        using var model = TinyGptNeoX.Create();
        var random = new Random(3);
        var prompts = Enumerable.Range(0, 23).Select(_ => Enumerable.Range(0, random.Next(3, 12)).Select(_ => random.Next(1, 50)).ToArray()).ToList();
        using var whole = DecisionPass.Run(model, prompts, 2, [5, 6, 7], 0, batchSize: 4, maxLength: 64, CPU, SilentProgress.Instance, "whole");

        var starts = new List<int>();
        var produced = 0;
        var progress = new CountingProgress();
        foreach (var (start, chunk) in DecisionPass.Stream(model, prompts, 2, [5, 6, 7], 0, batchSize: 4, maxLength: 64, CPU, progress, "stream", chunkRows: 10))
        {
            using (chunk)
            {
                Assert.Equal(produced, start);
                var n = (int)chunk.Hidden.size(0);
                // Nothing past this chunk has been run yet: the pass is lazy, one chunk of states at a time.
                Assert.Equal(start + n, progress.Done);
                Assert.InRange(n, 1, 10);
                Assert.True(chunk.Hidden.allclose(whole.Hidden.narrow(0, start, n), rtol: 1e-4, atol: 1e-5));
                Assert.True(chunk.LabelLogits.allclose(whole.LabelLogits.narrow(0, start, n), rtol: 1e-4, atol: 1e-5));
                starts.Add(start);
                produced += n;
            }
        }
        Assert.Equal([0, 10, 20], starts);
        Assert.Equal(prompts.Count, produced);
    }

    private sealed class CountingProgress : IProgressSink, IProgressTask
    {
        public long Done { get; private set; }
        public IProgressTask Begin(string description, long total) => this;
        public void Advance(long by = 1) => Done += by;
        public void Status(string status) { }
        public void Dispose() { }
    }
}

using ClassifSae.FineTuning;
using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Concepts.Sae;
using ClassifSae.Tests.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Benchmarks;

/// <summary>
/// Long loops over the hot paths: once warmed up (optimizer state allocated), the number of live tensors on this thread
/// must not move, i.e. no per-op tensor escapes the per-step dispose scopes.
/// </summary>
public class LiveTensorCountTests
{
    private static long Live => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    [Fact]
    public void Sae_training_steps_keep_live_tensors_flat()
    {
        var options = new ClassifSaeOptions
        {
            DIn = 16, NbClasses = 3, LenEpoch = 400, DeadFeatureWindow = 2,
            Settings = new ClassifSaeSettings { ExpansionFactor = 8, K = 2, NConcepts = 4, BatchSize = 20, Steps = 120, LearningRate = 1e-3, LearningRateEnd = 1e-5 },
        };
        using var x = randn(400, 16, generator: new Generator(1));
        using var y = randint(0, 3, [400], generator: new Generator(2));
        using var batches = new InMemoryActivationBatches(x, y, options.Settings.BatchSize, 3);
        using var sae = new TopKSae(options.Shape, 4);
        var counts = new List<long>();
        var result = ClassifSaeTrainer.Train(sae, batches, options, _ => counts.Add(Live));
        result.Sparsity.Dispose();
        result.StepsSinceFired.Dispose();
        Assert.Equal(counts[10], counts[^1]);
        Assert.Contains(result.History, h => h.DeadFeatures > 0); // the ghost-grads path ran too
    }

    [Fact]
    public void Backbone_forward_tail_and_training_steps_keep_live_tensors_flat()
    {
        using var model = TinyGptNeoX.Create();
        var cfg = model.Config;
        var random = new Random(5);
        int[] Seq(int n) => Enumerable.Range(0, n).Select(_ => random.Next(1, cfg.VocabSize)).ToArray();
        using var batch = TokenBatch.LeftPadded([Seq(7), Seq(9), Seq(5)], padId: 0);
        using var hidden = randn(6, cfg.HiddenSize, generator: new Generator(6));
        using var optimizer = AdamWFactory.Create(model, 1e-4, 0.01);

        void Iteration()
        {
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                model.Decision(batch, cfg.DecisionHookLayer);
                model.Tail(hidden, cfg.DecisionHookLayer);
            }
            model.train();
            var (_, logits) = model.Decision(batch, cfg.NumLayers);
            var loss = nn.functional.cross_entropy(logits, batch.InputIds[.., -1]);
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            model.eval();
        }

        for (var i = 0; i < 3; i++) Iteration();
        var before = Live;
        for (var i = 0; i < 60; i++) Iteration();
        Assert.Equal(before, Live);
    }
}

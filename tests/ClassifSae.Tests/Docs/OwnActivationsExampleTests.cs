using ClassifSae.Concepts.Sae;
using ClassifSae.Tests.Results;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Docs;

/// <summary>
/// The C# example of docs/architecture.md ("ClassifSAE on your own activations"), run as written: it must train, save a
/// SAELens folder that reloads, and its classifier head must learn the labels the states carry.
/// </summary>
public class OwnActivationsExampleTests
{
    [Fact]
    public void The_documented_example_trains_saves_and_reloads_a_classifsae_that_learned_the_labels()
    {
        using var folder = new TempFolder();
        var dir = folder.File("my-classifsae");
        // Stand-in for "your own activations": 2 000 states of width 32 whose class shows in four directions.
        using var gen = new Generator(5);
        var labels = randint(0, 4, [2000], generator: gen);
        var states = randn([2000, 32], generator: gen) + 5 * nn.functional.one_hot(labels, 32).to(ScalarType.Float32);

        // ---- begin docs/architecture.md example ----
        var settings = new ClassifSaeSettings { K = 8, NConcepts = 8, Steps = 1000, BatchSize = 200, LearningRate = 1e-3, LearningRateEnd = 1e-5 };
        var options = new ClassifSaeOptions { Settings = settings, DIn = 32, NbClasses = 4, LenEpoch = 2000, Seed = 42 };
        using var sae = new TopKSae(options.Shape, options.Seed);
        using var batches = new InMemoryActivationBatches(states, labels, settings.BatchSize, options.Seed);
        var result = ClassifSaeTrainer.Train(sae, batches, options);
        SaeFolder.Save(dir, sae, new SaeProvenance("my-model", "blocks.5.hook_resid_pre"), options.Weights, result.Sparsity);
        using var loaded = SaeFolder.Load(dir);                       // SAELens-readable: cfg.json + sae_weights.safetensors
        var concepts = loaded.Sae.ConceptActivations(loaded.Sae.Encode(states).Z);   // [N, n_concepts]
        // ---- end docs/architecture.md example ----

        Assert.Equal(new long[] { 2000, 8 }, concepts.shape);
        var accuracy = loaded.Sae.ClassifierLogits(loaded.Sae.Encode(states).Z).argmax(1).eq(labels).to(ScalarType.Float32).mean().item<float>();
        Assert.True(accuracy > 0.9, $"the head should read the class off the concepts, accuracy {accuracy:F3}");
        Assert.True(File.Exists(Path.Combine(dir, "cfg.json")));
    }
}

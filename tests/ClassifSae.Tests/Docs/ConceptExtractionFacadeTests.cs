using ClassifSae.Api;
using ClassifSae.Concepts.Ica;
using ClassifSae.Concepts.Sae;
using ClassifSae.Tests.Results;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Docs;

/// <summary>The facade example of docs/architecture.md, run as written, and the facade's refusals.</summary>
public class ConceptExtractionFacadeTests
{
    private static (Tensor States, long[] Labels) OwnStates()
    {
        // Stand-in for "your own activations": 2 000 states of width 32 whose class shows in four directions.
        using var gen = new Generator(5);
        var labels = randint(0, 4, [2000], generator: gen);
        var states = randn([2000, 32], generator: gen) + 5 * nn.functional.one_hot(labels, 32).to(ScalarType.Float32);
        return (states, labels.data<long>().ToArray());
    }

    [Fact]
    public void The_documented_facade_example_trains_a_classifsae_whose_concepts_carry_the_labels()
    {
        using var folder = new TempFolder();
        var dir = folder.File("my-classifsae");
        var (states, predictedLabels) = OwnStates();

        // ---- begin docs/architecture.md facade example ----
        var settings = new ClassifSaeSettings { K = 8, NConcepts = 8, Steps = 1000, BatchSize = 200, LearningRate = 1e-3, LearningRateEnd = 1e-5 };
        var metrics = ConceptExtraction.Train("classifsae", states, predictedLabels, classes: 4, settings, dir, seed: 42);
        using var concepts = ConceptExtraction.Load(dir);
        var z = concepts.Bottleneck.Activations(states);                  // [N, d_sae]; the first n_concepts are z_class
        // ---- end docs/architecture.md facade example ----

        Assert.Equal(new long[] { 2000, 64 }, z.shape);
        Assert.Equal(8, concepts.NConcepts);
        var headAccuracy = metrics.Single(m => m.Metric == "sae_head_accuracy").Value;
        Assert.True(headAccuracy > 0.9, $"the head should read the class off the concepts, accuracy {headAccuracy:F3}");
        // z_class alone separates the classes: each class's mean activation peaks on a different concept.
        var zClass = z[.., ..8];
        var peaks = Enumerable.Range(0, 4).Select(c =>
            zClass[tensor(predictedLabels).eq(c)].mean([0]).argmax().item<long>()).ToHashSet();
        Assert.Equal(4, peaks.Count);
    }

    [Fact]
    public void A_baseline_trains_through_the_same_door_and_reloads_to_the_same_activations()
    {
        using var folder = new TempFolder();
        var (states, labels) = OwnStates();
        ConceptExtraction.Train("ica", states, labels, 4, new IcaSettings { Components = 4 }, folder.File("ica"));
        using var ica = ConceptExtraction.Load(folder.File("ica"));
        Assert.Equal("ica", ica.Key);
        Assert.Equal(4, ica.NConcepts);
        Assert.Equal(new long[] { 2000, 4 }, ica.Bottleneck.Activations(states).shape);
    }

    [Fact]
    public void Bad_input_is_refused_with_a_one_line_message_naming_what_is_wrong()
    {
        using var folder = new TempFolder();
        var (states, labels) = OwnStates();
        var settings = new ClassifSaeSettings { K = 300 };
        var e = Assert.Throws<UserError>(() => ConceptExtraction.Train("classifsae", states, labels, 4, settings, folder.File("x")));
        Assert.Contains("classif_sae.k = 300", e.Message);
        e = Assert.Throws<UserError>(() => ConceptExtraction.Train("conceptshap", states, labels, 4, new ClassifSae.Concepts.ConceptShap.ConceptShapSettings(), folder.File("y")));
        Assert.Contains("give labelLogits", e.Message);
        e = Assert.Throws<UserError>(() => ConceptExtraction.Train("classifsae", states, labels[..10], 4, new ClassifSaeSettings(), folder.File("z")));
        Assert.Contains("10 labels for 2000 states", e.Message);
        e = Assert.Throws<UserError>(() => ConceptExtraction.Load(folder.File("nothing")));
        Assert.Contains("method.json: missing or unreadable", e.Message);
        Assert.All(new[] { e.Message }, m => Assert.DoesNotContain('\n', m));
    }
}

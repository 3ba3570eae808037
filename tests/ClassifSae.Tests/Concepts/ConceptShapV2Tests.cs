using ClassifSae.Settings;
using System.Text.Json;
using ClassifSae.Concepts;
using ClassifSae.Concepts.ConceptShap;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>
/// Upstream's ConceptSHAP v2 (spec 04 §5.1) against PyTorch 1.13 computing the spec's formulas on the tiny inputs of
/// build/tools/make_concept_loss_fixtures.py (θ = 0.1, r1 = 0.1, r2 = 0.5), and the regularisers on hand-computed cases.
/// </summary>
public class ConceptShapV2Tests
{
    private static readonly ConceptShapSettings Upstream = new()
    {
        Version = MethodVersion.Upstream2026, NConcepts = 4, HiddenDim = 6, Threshold = 0.1, LambdaKnn = 0.1, LambdaDiversity = 0.5,
        BatchSize = 8, Epochs = 100, RegularizerEpoch = 0, LearningRate = 3e-4,
    };

    private static ConceptShapModel Model(ConceptShapSettings settings)
    {
        var model = ConceptShapModel.For(5, settings, seed: 0);
        HiConceptLossTests.Load(model.NamedTensors);
        return model;
    }

    [Fact]
    public void Activations_project_on_the_unit_concepts_and_match_torch()
    {
        using var scope = NewDisposeScope();
        using var model = Model(Upstream);
        var a = model.Activations(HiConceptLossTests.X);
        var expected = HiConceptLossTests.Floats(HiConceptLossTests.Fixture["conceptshap_v2"]!["activations"]!);
        Assert.True(a.allclose(expected, rtol: 1e-5, atol: 1e-6), a.ToString(TorchSharp.TensorStringStyle.Numpy));
        // The paper's model projects on the raw concepts: same inputs, other activations.
        using var paper = Model(Upstream with { Version = MethodVersion.Paper2025 });
        Assert.False(paper.Activations(HiConceptLossTests.X).allclose(expected, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void Loss_terms_and_the_concept_gradient_match_torch()
    {
        using var scope = NewDisposeScope();
        using var model = Model(Upstream);
        var loss = ConceptShapTrainer.StepLoss(model, HiConceptLossTests.X, HiConceptLossTests.Y, HiConceptLossTests.Tail, Upstream, regularise: true, knn: null);
        var expected = HiConceptLossTests.Fixture["conceptshap_v2"]!;
        foreach (var (name, value) in new[] { ("prediction", loss.Prediction), ("r1", loss.R1), ("r2", loss.R2), ("total", loss.Total) })
            Assert.True(Math.Abs(value.item<float>() - expected[name]!.GetValue<double>()) < 2e-6,
                $"{name}: {value.item<float>():R} vs torch {expected[name]!.GetValue<double>():R}");
        loss.Total.backward();
        var grad = model.Concepts.grad!;
        Assert.True(grad.allclose(HiConceptLossTests.Floats(expected["grad_concept"]!), rtol: 1e-4, atol: 1e-6), grad.ToString(TorchSharp.TensorStringStyle.Numpy));
    }

    [Fact]
    public void R1_is_minus_the_mean_of_each_concepts_top_quarter()
    {
        using var scope = NewDisposeScope();
        // 8 rows → top 2 per column: column 0 {0.9, 0.8} → 0.85; column 1 {0.5, 0.3} → 0.4; R1 = −0.625.
        var cos = tensor(new float[] { 0.9f, -0.2f, 0.1f, 0.5f, 0.8f, 0.3f, -0.5f, 0f, 0.2f, 0.1f, 0f, -0.9f, 0.3f, 0.2f, -0.1f, 0.25f }, [8, 2]);
        Assert.Equal(-0.625f, ConceptRegularisers.TopQuarterCloseness(cos).item<float>(), 1e-6f);
        // Fewer than 4 rows: k = 1.
        Assert.Equal(-0.7f, ConceptRegularisers.TopQuarterCloseness(tensor(new float[] { 0.9f, 0.5f, 0.1f, 0.2f }, [2, 2])).item<float>(), 1e-6f);
    }

    [Fact]
    public void R2_is_the_mean_signed_cosine_over_all_entries()
    {
        using var scope = NewDisposeScope();
        // ĉ0 = (1,0), ĉ1 = (0.6,0.8), ĉ2 = (−1,0): off-diagonal cosines 0.6, −1, −0.6 (each twice), diagonal 0 → 2(−1)/9.
        var unit = tensor(new float[] { 1, 0.6f, -1, 0, 0.8f, 0 }, [2, 3]);
        Assert.Equal(-2f / 9, ConceptRegularisers.SignedDecorrelation(unit).item<float>(), 1e-6f);
    }

    [Fact]
    public void The_version_is_stored_only_when_it_is_upstreams()
    {
        var paper = MethodFile.ToJson(new ConceptShapSettings());
        Assert.False(paper.ContainsKey("version"));
        var upstream = MethodFile.ToJson(Upstream);
        Assert.Equal("upstream-2026", upstream["version"]!.GetValue<string>());
        var back = upstream.Deserialize<ConceptShapSettings>(new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        });
        Assert.Equal(Upstream, back);
    }

    [Fact]
    public void V2_training_learns_the_planted_classes()
    {
        using var scope = NewDisposeScope();
        var (x, y) = PlantedConcepts.Make(800, seed: 3);
        var labels = y.data<long>().ToArray();
        using var g = new Generator(5);
        var readout = randn([PlantedConcepts.Classes, PlantedConcepts.DIn], generator: g);
        Tensor Tail(Tensor h) => h.matmul(readout.t());
        var settings = Upstream with { NConcepts = 8, HiddenDim = 32, BatchSize = 64, Epochs = 15, LearningRate = 1e-2 };
        using var model = ConceptShapModel.For(PlantedConcepts.DIn, settings, seed: 42);
        var history = ConceptShapTrainer.Train(model, x, labels, PlantedConcepts.Classes, Tail, new ConceptShapOptions { Settings = settings });
        Assert.True(history[^1].Prediction < history[0].Prediction, $"prediction loss {history[0].Prediction:F3} → {history[^1].Prediction:F3}");
        Assert.True(history[^1].ReconstructionAccuracy > 0.8, $"agreement {history[^1].ReconstructionAccuracy:F3}");
        Assert.True(history[^1].Diversity < 0, $"R2 {history[^1].Diversity:F3}: minimising it makes the mean cosine negative");
    }
}

using System.Text.Json.Nodes;
using ClassifSae.Concepts.Sae;
using ClassifSae.Settings;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>
/// ClassifSAE v2 (spec 04 §4, method_version upstream-2026): the loss and its gradients against torch 1.13 on a hand-made
/// tiny SAE (fixture of build/tools/dump_classifsae_v2_fixture.py, written from the spec's formulas), the detach rule
/// (z_class cut from the decoder from epoch E//2 and not before), and the decoder-gradient projection.
/// </summary>
public class ClassifSaeV2Tests
{
    private static readonly string Fixture = Path.Combine(RepoPaths.Root, "tests", "ClassifSae.Tests", "Fixtures", "classifsae_v2_torch.json");

    private static Tensor Matrix(JsonNode node) =>
        tensor(node.AsArray().SelectMany(r => r!.AsArray().Select(v => (float)v!.GetValue<double>())).ToArray(),
            [node.AsArray().Count, node[0]!.AsArray().Count]);

    private static Tensor Vector(JsonNode node) => tensor(node.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray());

    /// <summary>The fixture's SAE: its hand-made weights copied into a TopKSae of the same shape.</summary>
    private static TopKSae FixtureSae(JsonNode i)
    {
        var sae = new TopKSae(new SaeShape(i["d_in"]!.GetValue<int>(), i["d_sae"]!.GetValue<int>(), i["k"]!.GetValue<int>(),
            i["n_concepts"]!.GetValue<int>(), i["n_classes"]!.GetValue<int>()), seed: 0);
        using var _ = no_grad();
        sae.WEnc.copy_(Matrix(i["W_enc"]!));
        sae.BEnc.copy_(Vector(i["b_enc"]!));
        sae.WDec.copy_(Matrix(i["W_dec"]!));
        sae.BDec.copy_(Vector(i["b_dec"]!));
        sae.ClassifierWeight.copy_(Matrix(i["classifier_weight"]!));
        sae.ClassifierBias.copy_(Vector(i["classifier_bias"]!));
        return sae;
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var diff = (expected - actual).abs().max().item<float>();
        var scale = Math.Max(1e-3f, expected.abs().max().item<float>());
        Assert.True(diff <= 2e-5 * scale + 1e-7, $"{what}: max |Δ| {diff:E2} (scale {scale:E2})");
    }

    [Theory]
    [InlineData("attached", false, true)]
    [InlineData("detached", true, true)]
    [InlineData("detached", true, false)]
    public void Loss_terms_and_gradients_equal_torch_on_the_hand_made_case(string half, bool detach, bool sparseDecoder)
    {
        var json = JsonNode.Parse(File.ReadAllText(Fixture))!;
        Assert.StartsWith("1.13", json["torch"]!.GetValue<string>());
        var (i, expected) = (json["inputs"]!, json[half]!);
        using var scope = NewDisposeScope();
        using var sae = FixtureSae(i);
        var x = Matrix(i["x"]!);
        var y = tensor(i["y"]!.AsArray().Select(v => (long)v!.GetValue<int>()).ToArray());
        var dead = zeros(sae.Shape.DSae, dtype: ScalarType.Bool);
        foreach (var d in i["dead"]!.AsArray()) dead[d!.GetValue<int>()] = true;
        var w = new LossWeights(i["lambda_mse"]!.GetValue<double>(), i["lambda_activation_rate"]!.GetValue<double>(),
            i["lambda_classifier"]!.GetValue<double>(), i["tau"]!.GetValue<double>());

        var output = UpstreamObjective.TrainingForward(sae, x, y, dead, detach, w, useGhostGrads: true, sparseDecoder);
        var l = output.Losses;
        // The terms are reported with their λ; the fixture has them without.
        Assert.Equal(expected["mse"]!.GetValue<double>() * w.LambdaMse, l.Mse.item<float>(), 1e-6);
        Assert.Equal(expected["ghost"]!.GetValue<double>() * w.LambdaMse, l.Ghost.item<float>(), 1e-6);
        Assert.Equal(expected["activation_rate"]!.GetValue<double>() * w.LambdaAR, l.ActivationRate.item<float>(), 1e-7);
        Assert.Equal(expected["classifier"]!.GetValue<double>() * w.LambdaCls, l.Classifier.item<float>(), 1e-5);
        Assert.Equal(expected["total"]!.GetValue<double>(), l.Total.item<float>(), 1e-5);

        l.Total.backward();
        var grads = expected["grads"]!;
        foreach (var (name, p) in sae.NamedTensors)
        {
            var g = grads[name]!;
            AssertClose(g.AsArray()[0] is JsonArray ? Matrix(g) : Vector(g), p.grad!, $"∂L/∂{name} ({half})");
        }
        DecoderGradientProjection.Apply(sae);
        AssertClose(Matrix(expected["W_dec_grad_projected"]!), sae.WDec.grad!, $"projected ∂L/∂W_dec ({half})");
    }

    [Fact]
    public void The_fixture_tells_the_two_halves_apart_only_in_the_concept_paths()
    {
        var json = JsonNode.Parse(File.ReadAllText(Fixture))!;
        var (a, d) = (Matrix(json["attached"]!["grads"]!["W_enc"]!), Matrix(json["detached"]!["grads"]!["W_enc"]!));
        var n = json["inputs"]!["n_concepts"]!.GetValue<int>();
        Assert.True((a.narrow(1, 0, n) - d.narrow(1, 0, n)).abs().max().item<float>() > 1e-3, "the detach must change the concept columns' gradient");
        Assert.Equal(0f, (a.narrow(1, n, a.shape[1] - n) - d.narrow(1, n, a.shape[1] - n)).abs().max().item<float>());
    }

    /// <summary>Spec 04 §4.5: AG News (len_epoch 120 000, E = 83, E//2 = 41) and IMDB (25 000, E = 400, E//2 = 200) at B = 500.</summary>
    [Theory]
    [InlineData(120_000, 20_000, 9_839, false)]
    [InlineData(120_000, 20_000, 9_840, true)]
    [InlineData(25_000, 20_000, 9_999, false)]
    [InlineData(25_000, 20_000, 10_000, true)]
    public void The_detach_starts_at_the_first_step_of_epoch_E_half(long lenEpoch, int steps, int step, bool detached)
    {
        var totalEpochs = LossDecay.TotalEpochs(steps, 500, lenEpoch);
        Assert.Equal(detached, UpstreamObjective.DetachesConcepts(LossDecay.EpochAtStep(step, 500, lenEpoch), totalEpochs));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_reconstruction_gives_the_concept_encoder_columns_no_gradient_once_detached(bool sparseDecoder)
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(new SaeShape(8, 24, 6, 4, 2), seed: 3);
        var x = randn([32, 8], generator: new Generator(4));
        var y = randint(0, 2, [32], generator: new Generator(5));
        var dead = zeros(24, dtype: ScalarType.Bool);
        var reconstructionOnly = new LossWeights(1, 0, 0, 1);
        foreach (var detach in new[] { false, true })
        {
            sae.zero_grad(set_to_none: true);
            UpstreamObjective.TrainingForward(sae, x, y, dead, detach, reconstructionOnly, useGhostGrads: false, sparseDecoder).Losses.Total.backward();
            var concepts = sae.WEnc.grad!.narrow(1, 0, 4).abs().max().item<float>();
            var context = sae.WEnc.grad!.narrow(1, 4, 20).abs().max().item<float>();
            Assert.True(context > 0);
            if (detach) Assert.Equal(0f, concepts);
            else Assert.True(concepts > 0, "before E//2 the reconstruction trains the concept columns");
            // The decoder rows of the concepts still learn from the reconstruction.
            Assert.True(sae.WDec.grad!.narrow(0, 0, 4).abs().max().item<float>() > 0);
        }
    }

    [Fact]
    public void The_projection_removes_each_decoder_rows_parallel_gradient()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(new SaeShape(2, 2, 1, 1, 2), seed: 0);
        using (no_grad()) sae.WDec.copy_(tensor(new[] { 1f, 0f, 0.6f, 0.8f }, [2, 2]));
        sae.WDec.grad = tensor(new[] { 3f, 4f, 1f, 1f }, [2, 2]);
        DecoderGradientProjection.Apply(sae);
        // [3,4] − 3·[1,0] = [0,4];  [1,1] − 1.4·[0.6,0.8] = [0.16,−0.12].
        AssertClose(tensor(new[] { 0f, 4f, 0.16f, -0.12f }, [2, 2]), sae.WDec.grad!, "projected gradient");
    }

    /// <summary>
    /// Trainer wiring: a run shorter than two epochs has E//2 = 0, so upstream's plain SAE (λ_cls = λ_AR = 0, no dead feature
    /// within the window) never moves the concept columns of W_enc, while the paper's does.
    /// </summary>
    [Theory]
    [InlineData(MethodVersion.Paper2025, false)]
    [InlineData(MethodVersion.Upstream2026, true)]
    public void Upstream_training_detaches_from_epoch_E_half(string version, bool conceptColumnsFrozen)
    {
        using var scope = NewDisposeScope();
        var options = new ClassifSaeOptions
        {
            DIn = 8, NbClasses = 2, LenEpoch = 40, Seed = 1, MethodVersion = version,
            Settings = new ClassifSaeSettings
            {
                ExpansionFactor = 3, K = 6, NConcepts = 4, BatchSize = 10, Steps = 6, LearningRate = 1e-2, LearningRateEnd = 1e-4,
                LambdaMse = 1, LambdaActivationRate = 0, LambdaClassifier = 0, ActivationRate = 1,
            },
        };
        Assert.Equal(1, options.TotalEpochs);
        using var sae = new TopKSae(options.Shape, options.Seed);
        var before = sae.WEnc.detach().clone();
        using var batches = new InMemoryActivationBatches(randn([40, 8], generator: new Generator(7)), randint(0, 2, [40], generator: new Generator(8)), 10, 1);
        ClassifSaeTrainer.Train(sae, batches, options);
        var moved = (sae.WEnc.detach() - before).abs();
        Assert.True(moved.narrow(1, 4, 20).max().item<float>() > 0);
        Assert.Equal(conceptColumnsFrozen, moved.narrow(1, 0, 4).max().item<float>() == 0f);
    }
}

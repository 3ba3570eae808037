using System.Text.Json.Nodes;
using ClassifSae.Concepts.HiConcept;
using ClassifSae.Tests.Fixtures;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>
/// HI-Concept's loss terms (spec 04 §5.2.2) against PyTorch 1.13 computing the spec's formulas on the same tiny inputs
/// (build/tools/make_concept_loss_fixtures.py): 8 rows, d = 5, n = 4 concepts, a linear tail to 3 classes, a fixed
/// flip mask. The inputs give two negative activations (a concept passing the softmax mask with a negative cosine).
/// </summary>
public class HiConceptLossTests
{
    internal static JsonObject Fixture { get; } = JsonNode.Parse(File.ReadAllText(
        Path.Combine(RepoPaths.Root, "tests", "ClassifSae.Tests", "Fixtures", "concept_losses_torch.json")))!.AsObject();

    internal static Tensor Floats(JsonNode node)
    {
        var m = node.Matrix();
        var t = zeros(m.GetLength(0), m.GetLength(1));
        for (var i = 0; i < m.GetLength(0); i++)
        for (var j = 0; j < m.GetLength(1); j++) t[i, j] = (float)m[i, j];
        return t;
    }

    internal static Tensor X => Floats(Fixture["x"]!);
    internal static Tensor Y => tensor(Fixture["y"]!.Longs());
    internal static Tensor Tail(Tensor h) => h.matmul(Floats(Fixture["w"]!).t()) + tensor(Fixture["b"]!.Doubles().Select(v => (float)v).ToArray());

    internal static void Load(IReadOnlyDictionary<string, TorchSharp.Modules.Parameter> parameters)
    {
        using var _ = no_grad();
        foreach (var (name, p) in parameters) p.copy_(Floats(Fixture[name]!));
    }

    private static HiConceptModel Model()
    {
        var model = new HiConceptModel(5, 4, 6, seed: 0);
        Load(model.NamedTensors);
        return model;
    }

    private static readonly HiConceptSettings Upstream = new();

    [Fact]
    public void Activations_match_torch_including_negative_ones()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        var a = model.Activations(X);
        var expected = Floats(Fixture["hiconcept"]!["activations"]!);
        Assert.True(a.allclose(expected, rtol: 1e-5, atol: 1e-6), a.ToString(TorchSharp.TensorStringStyle.Numpy));
        Assert.Equal(2, a.lt(0).sum().item<long>());
        Assert.True(model.Scores(X).Probabilities.allclose(Floats(Fixture["hiconcept"]!["probabilities"]!), rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void Every_loss_term_and_the_concept_gradient_match_torch()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        var keep = Floats(Fixture["keep"]!).gt(0.5);
        var loss = HiConceptObjective.Loss(model, X, Y, Tail, Upstream, keep);
        var expected = Fixture["hiconcept"]!;
        foreach (var (name, value) in new[] { ("reconstruction", loss.Reconstruction), ("prediction", loss.Prediction), ("flip", loss.Flip),
                     ("r1", loss.R1), ("r2", loss.R2), ("total", loss.Total) })
            Assert.True(Math.Abs(value.item<float>() - expected[name]!.GetValue<double>()) < 2e-6,
                $"{name}: {value.item<float>():R} vs torch {expected[name]!.GetValue<double>():R}");
        loss.Total.backward();
        var grad = model.Concepts.grad!;
        Assert.True(grad.allclose(Floats(expected["grad_concept"]!), rtol: 1e-4, atol: 1e-6), grad.ToString(TorchSharp.TensorStringStyle.Numpy));
    }

    [Fact]
    public void Before_the_causal_half_the_flip_term_is_zero_and_the_rest_unchanged()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        var loss = HiConceptObjective.Loss(model, X, Y, Tail, Upstream, keep: null);
        var expected = Fixture["hiconcept"]!;
        Assert.Equal(0f, loss.Flip.item<float>());
        var withoutFlip = expected["total"]!.GetValue<double>() - expected["flip"]!.GetValue<double>();
        Assert.True(Math.Abs(loss.Total.item<float>() - withoutFlip) < 2e-6, $"{loss.Total.item<float>()} vs {withoutFlip}");
        Assert.Equal(50, Upstream.FlipEpoch);
    }

    [Fact]
    public void The_keep_mask_always_keeps_the_last_concept_and_drops_about_the_drop_rate()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var keep = HiConceptObjective.KeepMask(4000, 5, 0.2, g);
        Assert.True(keep[.., 4].all().item<bool>());
        var kept = keep[.., ..4].to(ScalarType.Float32).mean().item<float>();
        Assert.InRange(kept, 0.78f, 0.82f);
    }

    [Fact]
    public void The_flip_loss_is_minus_the_mean_L1_gap_of_the_class_distributions()
    {
        using var scope = NewDisposeScope();
        // softmax(0,0) = (.5,.5); softmax(ln 3, 0) = (.75,.25): L1 gap .5 on row 0; row 1 identical → 0; mean .25.
        var logits = tensor(new float[] { 0, 0, 1, 2 }, [2, 2]);
        var far = tensor(new float[] { MathF.Log(3), 0, 1, 2 }, [2, 2]);
        Assert.Equal(-0.25f, HiConceptObjective.Flip(logits, far).item<float>(), 1e-6f);
    }
}

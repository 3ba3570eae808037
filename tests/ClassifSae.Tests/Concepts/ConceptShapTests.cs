using ClassifSae.Pipeline;
using ClassifSae.Concepts.ConceptShap;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

public class ConceptShapTests
{
    private const int D = 24;
    private const int Classes = 4;

    /// <summary>
    /// Hidden states with a large shared offset (as residual streams have), one class direction of strength 1.5
    /// and noise; the "remaining block" is a fixed linear read-out of the class directions.
    /// </summary>
    private static (Tensor X, long[] Y, Tensor Readout) Planted(int n, long seed)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        var basis = linalg.qr(randn([D, D], generator: g)).Q;                      // orthonormal columns
        var offset = basis[.., 0] * 4;
        var classDirs = basis[.., 1..(Classes + 1)].t();                            // [C, D]
        var y = randint(0, Classes, [n], generator: g);
        var x = offset + classDirs.index_select(0, y) * 1.5 + randn([n, D], generator: g) * 0.3;
        return (x.MoveToOuterDisposeScope(), y.data<long>().ToArray(), (classDirs * 3).MoveToOuterDisposeScope());
    }

    private static double Completeness(ConceptShapModel model, Tensor x, long[] y, Tensor readout)
    {
        using var _ = no_grad();
        var predicted = model.Decode(model.Activations(x)).matmul(readout.t()).argmax(1).data<long>().ToArray();
        return predicted.Where((p, i) => p == y[i]).Count() / (double)y.Length;
    }

    private static readonly ConceptShapOptions Options = new()
    {
        Settings = new ConceptShapSettings { NConcepts = 4, HiddenDim = 32, Threshold = 0.2, TopK = 16, BatchSize = 64, Epochs = 12, RegularizerEpoch = 2, LearningRate = 1e-2 },
    };

    [Fact]
    public void Learned_concepts_beat_random_concepts_on_completeness()
    {
        using var scope = NewDisposeScope();
        var (all, labels, readout) = Planted(2500, 1);
        var (x, y) = (all[..2000], labels[..2000]);
        var (xTest, yTest) = (all[2000..], labels[2000..]);
        Tensor Tail(Tensor h) => h.matmul(readout.t());

        using var learned = new ConceptShapModel(D, Options.Settings.NConcepts, Options.Settings.HiddenDim, Options.Settings.Threshold, seed: 42);
        var history = ConceptShapTrainer.Train(learned, x, y, Classes, Tail, Options);
        using var random = new ConceptShapModel(D, Options.Settings.NConcepts, Options.Settings.HiddenDim, Options.Settings.Threshold, seed: 42);
        ConceptShapTrainer.Train(random, x, y, Classes, Tail, Options with { FreezeConcepts = true });

        var learnedAcc = Completeness(learned, xTest, yTest, readout);
        var randomAcc = Completeness(random, xTest, yTest, readout);
        Assert.True(learnedAcc >= 0.9, $"learned concepts: completeness {learnedAcc:F3}");
        Assert.True(learnedAcc > randomAcc + 0.1, $"learned {learnedAcc:F3} vs random {randomAcc:F3}");
        // The training diagnostic η ≈ new/orig correct tracks the same thing.
        Assert.True(history[^1].Completeness > 0.85, $"η {history[^1].Completeness:F3}");
        Assert.Equal(Options.Settings.Epochs, history.Count);
    }

    [Fact]
    public void Activations_are_thresholded_normalised_scores()
    {
        using var scope = NewDisposeScope();
        using var model = new ConceptShapModel(4, 3, 5, threshold: 0.5, seed: 0);
        using (no_grad())
        {
            model.Concepts.copy_(tensor(new float[] { 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0 }, [4, 3]));
        }
        var a = model.Activations(tensor(new float[] { 2, 1, 0, 0 }, [1, 4]));
        // cos = [0.894, 0.447, 0.949] → concepts 0 and 2 pass θ = 0.5; raw scores 2 and 3.
        var expected = new[] { 2 / 5.001f, 0f, 3 / 5.001f };
        Assert.Equal(expected, a.data<float>().ToArray(), (p, q) => Math.Abs(p - q) < 1e-6);
    }

    [Fact]
    public void Regularisers_match_their_definitions()
    {
        using var scope = NewDisposeScope();
        var c = tensor(new float[] { 1, 0, 0, 2 }, [2, 2]);                 // c_0 = (1,0), c_1 = (0,2)
        Assert.Equal(0f, ConceptShapTrainer.Decorrelation(c).item<float>());
        var x = tensor(new float[] { 1, 0, 0, 1, 5, 5 }, [3, 2]);
        var knn = ConceptShapTrainer.KnnCloseness(c, x, x.pow(2).sum(1, keepdim: true), k: 1);
        // nearest to c_0 is (1,0): ⟨c_0,x⟩ = 1; nearest to c_1 is (0,1): ⟨c_1,x⟩ = 2 → mean 1.5
        Assert.Equal(1.5f, knn.item<float>(), 1e-6f);
    }
}

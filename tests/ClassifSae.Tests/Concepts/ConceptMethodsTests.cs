using ClassifSae.Concepts;
using ClassifSae.Pipeline;
using ClassifSae.Tests.Results;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>Every registered method trains on planted activations, saves a versioned folder and reloads to the same bottleneck.</summary>
public class ConceptMethodsTests
{
    private static readonly Profile Tiny = new()
    {
        Name = "tiny",
        ClassifSae = new ClassifSaeSpec { NConcepts = 8, Steps = 60, BatchSize = 100, LearningRate = 1e-3, LearningRateEnd = 1e-5 },
        Sae = new SaeBaselineSpec { NConcepts = 6, LogisticCs = [0.1, 1] },
        Ica = new IcaSpec { Components = 8 },
        ConceptShap = new ConceptShapSpec { NConcepts = 6, HiddenDim = 16, TopK = 8, BatchSize = 64, Epochs = 3, Threshold = 0.1 },
    };

    [Fact]
    public void The_registry_knows_the_four_methods_and_rejects_others()
    {
        Assert.Equal(["classifsae", "sae", "ica", "conceptshap"], ConceptMethods.Keys);
        Assert.Equal(["sae", "ica"], ConceptMethods.Parse("ica, sae,ica"));
        var e = Assert.Throws<UserError>(() => ConceptMethods.Parse("ica,pca"));
        Assert.Contains("pca", e.Message);
    }

    [Theory]
    [InlineData("classifsae")]
    [InlineData("sae")]
    [InlineData("ica")]
    [InlineData("conceptshap")]
    public void Trains_saves_and_reloads_to_the_same_bottleneck(string key)
    {
        using var scope = NewDisposeScope();
        using var tmp = new TempFolder();
        var (x, y) = PlantedConcepts.Make(600, seed: 3);
        var labels = y.data<long>().ToArray();
        using var g = new Generator(5);
        var readout = randn([PlantedConcepts.Classes, PlantedConcepts.DIn], generator: g);
        var method = ConceptMethods.Get(key);
        var input = new ConceptTrainingInput
        {
            Hidden = x, Predicted = labels, Classes = PlantedConcepts.Classes, Profile = Tiny,
            Provenance = new ConceptProvenance("m", "blocks.1.hook_resid_pre", "d"),
            LabelLogits = method.NeedsBackboneTail ? h => h.matmul(readout.t()) : null,
        };
        var folder = Path.Combine(tmp.Path, key);
        var metrics = ConceptMethods.Train(method, input, folder, "hash-1");
        Assert.All(metrics, m => Assert.Equal(key, m.Method));

        var file = MethodFile.TryLoad(folder)!;
        Assert.Equal((key, method.FormatVersion, "hash-1"), (file.Method, file.FormatVersion, file.TrainingHash));
        using var a = method.Load(folder);
        using var b = method.Load(folder);
        var acts = a.Bottleneck.Activations(x);
        Assert.Equal(600, acts.size(0));
        Assert.True(acts.IsEqual(b.Bottleneck.Activations(x)));
        var candidates = a.Candidates(acts, labels, PlantedConcepts.Classes).Indices;
        Assert.Equal(a.NConcepts, candidates.Count);
        using var keep = zeros(acts.size(1), dtype: ScalarType.Bool);
        foreach (var j in candidates) keep[j] = true;
        var xhat = a.Bottleneck.ReconstructMasked(x, keep);
        Assert.Equal(x.shape, xhat.shape);
        Assert.True(xhat.isfinite().all().item<bool>());
        Assert.Equal(acts.size(1), a.Bottleneck.Directions().size(0));
    }

    [Fact]
    public void A_folder_of_another_format_version_is_refused()
    {
        using var scope = NewDisposeScope();
        using var tmp = new TempFolder();
        var (x, y) = PlantedConcepts.Make(200, seed: 1);
        var method = ConceptMethods.Get("ica");
        var input = new ConceptTrainingInput
        {
            Hidden = x, Predicted = y.data<long>().ToArray(), Classes = 4, Profile = Tiny, Provenance = new ConceptProvenance("m", "h", "d"),
        };
        ConceptMethods.Train(method, input, tmp.Path, "h");
        new MethodFile("ica", 99, "h", []).Save(tmp.Path);
        var e = Assert.Throws<InvalidDataException>(() => method.Load(tmp.Path));
        Assert.Contains("format version 99", e.Message);
    }
}

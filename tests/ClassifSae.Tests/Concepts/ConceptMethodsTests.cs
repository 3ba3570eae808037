using System.Text.Json.Nodes;
using ClassifSae.Concepts;
using ClassifSae.Concepts.ConceptShap;
using ClassifSae.Concepts.Ica;
using ClassifSae.Concepts.Sae;
using ClassifSae.Pipeline;
using ClassifSae.Tests.Results;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>Every registered method trains on planted activations, saves a versioned folder and reloads to the same bottleneck.</summary>
public class ConceptMethodsTests
{
    private static readonly Profile Tiny = new Profile { Name = "tiny" }
        .With(new ClassifSaeSettings { NConcepts = 8, Steps = 60, BatchSize = 100, LearningRate = 1e-3, LearningRateEnd = 1e-5 })
        .With(new SaeBaselineSettings { NConcepts = 6, LogisticCs = [0.1, 1] })
        .With(new IcaSettings { Components = 8 })
        .With(new ConceptShapSettings { NConcepts = 6, HiddenDim = 16, TopK = 8, BatchSize = 64, Epochs = 3, Threshold = 0.1 });

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
            Hidden = x, Predicted = labels, Classes = PlantedConcepts.Classes, Settings = Tiny.MethodSettings(key), Seed = 42,
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
        var input = PlantedInput(x, y, Tiny.Settings<IcaSettings>());
        ConceptMethods.Train(method, input, tmp.Path, "h");
        new MethodFile("ica", 99, "h", []).Save(tmp.Path);
        var e = Assert.Throws<InvalidDataException>(() => method.Load(tmp.Path));
        Assert.Contains("format version 99", e.Message);
    }

    [Fact]
    public void Method_json_holds_the_settings_record_once_in_the_profile_key_names()
    {
        using var scope = NewDisposeScope();
        using var tmp = new TempFolder();
        var (x, y) = PlantedConcepts.Make(200, seed: 1);
        var input = PlantedInput(x, y, Tiny.MethodSettings("classifsae"));
        ConceptMethods.Train(ConceptMethods.Get("classifsae"), input, tmp.Path, "h");
        var settings = MethodFile.TryLoad(tmp.Path)!.Settings;
        Assert.Equal(["expansion_factor", "k", "n_concepts", "lambda_mse", "lambda_activation_rate", "lambda_classifier", "activation_rate", "steps",
            "batch_size", "learning_rate", "learning_rate_end", "learning_rate_decay_steps", "noise_scale", "ghost_grads", "loader"], settings.Select(kv => kv.Key));
        Assert.Equal(8, settings["n_concepts"]!.GetValue<int>());
        Assert.Equal(10, settings["k"]!.GetValue<int>());
        Assert.Equal(2, settings["expansion_factor"]!.GetValue<int>());
        // classifier_cfg.json keeps only the head's shape and loss weights, snake_case, no copy of the run settings.
        var head = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.Path, "classifier_cfg.json")))!.AsObject();
        Assert.Equal(["format_version", "kind", "n_concepts", "nb_classes", "lambda_mse", "lambda_ar", "lambda_cls", "tau"], head.Select(kv => kv.Key));
        Assert.Equal(2, head["format_version"]!.GetValue<int>());
        // cfg.json keeps the k SAELens needs.
        Assert.Equal(10, JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.Path, "cfg.json")))!["k"]!.GetValue<int>());
    }

    [Fact]
    public void A_version_1_folder_written_before_the_settings_records_still_loads()
    {
        using var scope = NewDisposeScope();
        using var tmp = new TempFolder();
        var (x, y) = PlantedConcepts.Make(600, seed: 3);
        using var g = new Generator(5);
        var readout = randn([PlantedConcepts.Classes, PlantedConcepts.DIn], generator: g);
        var method = ConceptMethods.Get("conceptshap");
        var input = PlantedInput(x, y, Tiny.Settings<ConceptShapSettings>(), h => h.matmul(readout.t()));
        ConceptMethods.Train(method, input, tmp.Path, "h");
        using (var current = method.Load(tmp.Path)) Assert.Equal(6, current.NConcepts);
        // Version 1 nested the settings under the section name.
        var v2 = MethodFile.TryLoad(tmp.Path)!;
        new MethodFile("conceptshap", 1, "h", new JsonObject { ["concept_shap"] = v2.Settings.DeepClone() }).Save(tmp.Path);
        using var old = method.Load(tmp.Path);
        Assert.Equal(6, old.NConcepts);
        Assert.True(old.Bottleneck.Activations(x).isfinite().all().item<bool>());
    }

    [Fact]
    public void A_version_1_SAE_folder_with_the_PascalCase_training_copy_still_loads()
    {
        using var scope = NewDisposeScope();
        using var tmp = new TempFolder();
        var (x, y) = PlantedConcepts.Make(200, seed: 1);
        var method = ConceptMethods.Get("classifsae");
        var input = PlantedInput(x, y, Tiny.Settings<ClassifSaeSettings>());
        ConceptMethods.Train(method, input, tmp.Path, "h");
        using var current = method.Load(tmp.Path);
        using var expected = current.Bottleneck.Activations(x);
        // What version 1 wrote: the settings nested under the section, and classifier_cfg.json with a PascalCase "training" copy.
        var file = MethodFile.TryLoad(tmp.Path)!;
        new MethodFile("classifsae", 1, "h", new JsonObject { ["classif_sae"] = file.Settings.DeepClone() }).Save(tmp.Path);
        var headPath = Path.Combine(tmp.Path, "classifier_cfg.json");
        var head = JsonNode.Parse(File.ReadAllText(headPath))!.AsObject();
        head["format_version"] = 1;
        head["training"] = new JsonObject { ["K"] = 10, ["TotalSteps"] = 60, ["Lr"] = 1e-3 };
        File.WriteAllText(headPath, head.ToJsonString());
        using var old = method.Load(tmp.Path);
        Assert.True(old.Bottleneck.Activations(x).IsEqual(expected));
        new MethodFile("classifsae", 3, "h", []).Save(tmp.Path);
        var e = Assert.Throws<InvalidDataException>(() => method.Load(tmp.Path));
        Assert.Contains("format version 3, this build reads version(s) 1, 2", e.Message);
    }

    /// <summary>A method's training input on the planted corpus (x, y from <see cref="PlantedConcepts.Make"/>).</summary>
    private static ConceptTrainingInput PlantedInput(Tensor x, Tensor y, IMethodSettings settings, Func<Tensor, Tensor>? labelLogits = null) => new()
    {
        Hidden = x, Predicted = y.data<long>().ToArray(), Classes = PlantedConcepts.Classes, Settings = settings, Seed = 42,
        Provenance = new ConceptProvenance("m", "h", "d"), LabelLogits = labelLogits,
    };
}

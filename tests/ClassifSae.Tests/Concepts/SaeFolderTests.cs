using System.Text.Json.Nodes;
using ClassifSae.Concepts.Sae;
using ClassifSae.Formats;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

public sealed class SaeFolderTests : IDisposable
{
    private static readonly SaeShape Shape = new(DIn: 8, DSae: 16, K: 3, NConcepts: 4, NbClasses: 3);
    private static readonly LossWeights Weights = new(0.1, 0.1, 1, 0.1);
    private static readonly SaeProvenance Provenance = new("pythia-70m_ft_ag_news_30000", "blocks.5.hook_resid_pre");
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"sae-folder-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static TopKSae RandomSae()
    {
        var sae = new TopKSae(Shape, seed: 9);
        using var g = new Generator(10);
        using (no_grad())
            foreach (var p in sae.parameters())
                p.add_(randn(p.shape, generator: g) * 0.1);
        return sae;
    }

    private string SaveRandom(string name)
    {
        var dir = Path.Combine(_root, name);
        using var sae = RandomSae();
        SaeFolder.Save(dir, sae, Provenance, Weights);
        return dir;
    }

    [Fact]
    public void Round_trip_gives_identical_outputs()
    {
        using var scope = NewDisposeScope();
        var dir = Path.Combine(_root, "sae");
        using var sae = RandomSae();
        using var sparsity = rand(Shape.DSae) * -5;
        SaeFolder.Save(dir, sae, Provenance, Weights, sparsity);
        var headCfg = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "classifier_cfg.json")))!;
        Assert.Equal("classif_sae", headCfg["kind"]!.GetValue<string>());
        Assert.Null(headCfg["training"]); // the run settings live once, in method.json
        using var loaded = SaeFolder.Load(dir);

        using var g = new Generator(11);
        var x = randn([10, Shape.DIn], generator: g);
        var a = sae.Encode(x);
        var b = loaded.Sae.Encode(x);
        Assert.True(a.Z.IsEqual(b.Z));
        Assert.True(sae.Decode(a.Z, a.Scale).IsEqual(loaded.Sae.Decode(b.Z, b.Scale)));
        Assert.True(sae.ClassifierLogits(a.Z).IsEqual(loaded.Sae.ClassifierLogits(b.Z)));
        Assert.Equal(Shape, loaded.Sae.Shape);
        Assert.Equal(new ClassifierHeadConfig(4, 3, 0.1, 0.1, 1, 0.1), loaded.Head);
        Assert.Equal(Provenance, loaded.Provenance);
        Assert.True(loaded.Sparsity!.IsEqual(sparsity));
        var norms = loaded.Sae.WDec.pow(2).sum(-1).sqrt();
        Assert.True(norms.allclose(ones_like(norms), atol: 1e-6)); // rows re-normalised before saving
    }

    [Fact]
    public void Folder_is_a_plain_SAELens_v6_topk_folder()
    {
        var dir = SaveRandom("sae");
        Assert.Equal(
            new[] { "cfg.json", "classifier_cfg.json", "classifier_head.safetensors", "sae_weights.safetensors", "sparsity.safetensors" },
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        Assert.Single(Directory.GetDirectories(_root)); // no temporary folder left behind
        var cfg = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "cfg.json")))!.AsObject();
        Assert.Equal("topk", cfg["architecture"]!.GetValue<string>());
        Assert.Equal(8, cfg["d_in"]!.GetValue<int>());
        Assert.Equal(16, cfg["d_sae"]!.GetValue<int>());
        Assert.Equal(3, cfg["k"]!.GetValue<int>());
        Assert.Equal("float32", cfg["dtype"]!.GetValue<string>());
        Assert.Equal("constant_norm_rescale", cfg["normalize_activations"]!.GetValue<string>());
        Assert.Equal("none", cfg["reshape_activations"]!.GetValue<string>());
        Assert.False(cfg["apply_b_dec_to_input"]!.GetValue<bool>());
        Assert.False(cfg["rescale_acts_by_decoder_norm"]!.GetValue<bool>());
        Assert.Equal("blocks.5.hook_resid_pre", cfg["metadata"]!["hook_name"]!.GetValue<string>());
        Assert.StartsWith("6.", cfg["metadata"]!["sae_lens_version"]!.GetValue<string>());
        // SAELens 6 metadata: one trained position (the decision token T−2), the TransformerLens class its hook names
        // belong to, and no claim that SAELens trained it.
        Assert.Equal("[-2,-1]", cfg["metadata"]!["seqpos_slice"]!.ToJsonString());
        Assert.Equal("HookedTransformer", cfg["metadata"]!["model_class_name"]!.GetValue<string>());
        Assert.True(cfg["metadata"]!.AsObject().ContainsKey("context_size"));
        Assert.False(cfg["metadata"]!.AsObject().ContainsKey("sae_lens_training_version"));
        var weights = SafetensorsFile.Read(Path.Combine(dir, "sae_weights.safetensors"));
        Assert.Equal(new[] { "W_dec", "W_enc", "b_dec", "b_enc" }, weights.Keys.Order(StringComparer.Ordinal).ToArray());
        foreach (var t in weights.Values) t.Dispose();
    }

    [Fact]
    public void Saving_over_an_existing_folder_replaces_it()
    {
        var dir = SaveRandom("sae");
        File.WriteAllText(Path.Combine(dir, "stale.txt"), "x");
        using (var sae = RandomSae()) SaeFolder.Save(dir, sae, Provenance, Weights);
        Assert.False(File.Exists(Path.Combine(dir, "stale.txt")));
        Assert.Single(Directory.GetDirectories(_root));
    }

    [Fact]
    public void Missing_tensor_is_reported_with_file_and_name()
    {
        var dir = SaveRandom("sae");
        var path = Path.Combine(dir, "sae_weights.safetensors");
        var tensors = SafetensorsFile.Read(path);
        tensors.Remove("W_dec", out var removed);
        removed!.Dispose();
        SafetensorsFile.Write(path, tensors);
        var e = Assert.Throws<InvalidDataException>(() => SaeFolder.Load(dir));
        Assert.Contains("sae_weights.safetensors", e.Message);
        Assert.Contains("missing tensor 'W_dec'", e.Message);
    }

    [Fact]
    public void Wrong_shape_is_reported_with_file_tensor_and_shapes()
    {
        var dir = SaeFolderTestsHelpers.Replace(SaveRandom("sae"), "classifier_head.safetensors", "classifier_bias", zeros(5));
        var e = Assert.Throws<InvalidDataException>(() => SaeFolder.Load(dir));
        Assert.Contains("classifier_head.safetensors", e.Message);
        Assert.Contains("'classifier_bias' has shape [5], expected [3]", e.Message);
    }

    [Fact]
    public void Extra_tensor_in_the_SAELens_file_is_rejected()
    {
        var dir = SaeFolderTestsHelpers.Replace(SaveRandom("sae"), "sae_weights.safetensors", "classifier_bias", zeros(3));
        var e = Assert.Throws<InvalidDataException>(() => SaeFolder.Load(dir));
        Assert.Contains("unexpected tensor(s) 'classifier_bias'", e.Message);
    }

    [Fact]
    public void Missing_or_bad_config_is_reported()
    {
        var dir = SaveRandom("sae");
        var cfgPath = Path.Combine(dir, "cfg.json");
        var cfg = JsonNode.Parse(File.ReadAllText(cfgPath))!.AsObject();
        cfg.Remove("d_sae");
        File.WriteAllText(cfgPath, cfg.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => SaeFolder.Load(dir));
        Assert.Contains("cfg.json: missing field \"d_sae\"", e.Message);

        File.Delete(Path.Combine(dir, "classifier_cfg.json"));
        cfg["d_sae"] = 16;
        File.WriteAllText(cfgPath, cfg.ToJsonString());
        var f = Assert.Throws<FileNotFoundException>(() => SaeFolder.Load(dir));
        Assert.Contains("classifier_cfg.json", f.Message);
    }
}

internal static class SaeFolderTestsHelpers
{
    public static string Replace(string dir, string file, string name, Tensor value)
    {
        var path = Path.Combine(dir, file);
        var tensors = SafetensorsFile.Read(path);
        if (tensors.TryGetValue(name, out var old)) old.Dispose();
        tensors[name] = value;
        SafetensorsFile.Write(path, tensors);
        foreach (var t in tensors.Values) t.Dispose();
        return dir;
    }
}

using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Backbones.Registry;

namespace ClassifSae.Tests.Backbones;

public sealed class BackboneRegistryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("registry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder(string name, string configJson)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), configJson);
        return folder;
    }

    [Fact]
    public void A_saved_gpt_neox_loads_back_through_the_registry_with_its_shape()
    {
        using var model = TinyGptNeoX.Create(seed: 3);
        var folder = Path.Combine(_dir, "neox");
        model.Save(folder);
        Assert.Equal(new BackboneShape("gpt_neox", 50, 32, 3, 2, "blocks.2.hook_resid_pre"), BackboneRegistry.Shape(folder));
        using var loaded = BackboneRegistry.Load(folder);
        Assert.IsType<GptNeoXForCausalLM>(loaded);
        Assert.True(loaded.Module.state_dict()["embed_out.weight"].eq(model.state_dict()["embed_out.weight"]).all().item<bool>());
    }

    [Fact]
    public void A_config_without_architectures_is_matched_on_model_type()
    {
        var folder = Folder("old", """{"model_type": "gpt_neox"}""");
        Assert.Equal("gpt_neox", BackboneRegistry.Resolve(folder).ModelType);
    }

    [Fact]
    public void A_bert_sequence_classifier_is_the_bert_family()
    {
        var folder = Folder("bert", """{"model_type": "bert", "architectures": ["BertForSequenceClassification"]}""");
        Assert.Equal("bert", BackboneRegistry.Resolve(folder).ModelType);
    }

    [Theory]
    [InlineData("""{"model_type": "t5", "architectures": ["T5ForConditionalGeneration"]}""", "model_type 't5'")]
    [InlineData("""{"model_type": "bert", "architectures": ["BertModel"]}""", "[BertModel]")]
    [InlineData("""{"model_type": "gpt_neox", "architectures": ["GPTNeoXForSequenceClassification"]}""", "[GPTNeoXForSequenceClassification]")]
    [InlineData("""{"architectures": ["LlamaForCausalLM"]}""", "model_type '(none)'")]
    public void An_unknown_family_is_one_line_naming_the_known_ones(string config, string named)
    {
        var folder = Folder("unknown", config);
        var e = Assert.Throws<InvalidDataException>(() => BackboneRegistry.Resolve(folder));
        Assert.Contains(named, e.Message);
        Assert.Contains("(known: gpt_neox (GPTNeoXForCausalLM); bert (BertForSequenceClassification, BertModel", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_folder_without_config_or_with_broken_json_is_reported_with_its_path()
    {
        Assert.Throws<FileNotFoundException>(() => BackboneRegistry.Resolve(Path.Combine(_dir, "absent")));
        var e = Assert.Throws<InvalidDataException>(() => BackboneRegistry.Resolve(Folder("broken", "{ not json")));
        Assert.Contains("config.json: not a valid config.json", e.Message);
    }

    [Fact]
    public void A_scratch_gpt_neox_is_built_from_the_registry_with_the_sizes_asked_for_and_the_seed_decides_its_weights()
    {
        var shape = new ScratchShape(VocabSize: 50, HiddenSize: 32, NumLayers: 3, NumHeads: 2, IntermediateSize: 64, RotaryPct: 0.25, MaxPositions: 16);
        using var a = BackboneRegistry.CreateScratch("gpt_neox", shape, seed: 3);
        using var b = BackboneRegistry.CreateScratch("gpt_neox", shape, seed: 3);
        using var c = BackboneRegistry.CreateScratch("gpt_neox", shape, seed: 4);
        Assert.Equal(new BackboneShape("gpt_neox", 50, 32, 3, 2, "blocks.2.hook_resid_pre"), a.Shape);
        Assert.Equal(new long[] { 64, 32 }, a.Module.state_dict()["gpt_neox.layers.0.mlp.dense_h_to_4h.weight"].shape);
        Assert.True(a.Module.state_dict()["embed_out.weight"].eq(b.Module.state_dict()["embed_out.weight"]).all().item<bool>());
        Assert.False(a.Module.state_dict()["embed_out.weight"].eq(c.Module.state_dict()["embed_out.weight"]).all().item<bool>());
        var e = Assert.Throws<UserError>(() => BackboneRegistry.CreateScratch("bloom", shape, 3));
        Assert.Equal("model family 'bloom' cannot be built from scratch (families that can: gpt_neox)", e.Message);
    }
}

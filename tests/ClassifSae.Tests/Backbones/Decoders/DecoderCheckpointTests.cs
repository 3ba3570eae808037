using ClassifSae.Backbones;
using ClassifSae.Backbones.Decoders;
using ClassifSae.Backbones.GptJ;
using ClassifSae.Backbones.Llama;
using ClassifSae.Backbones.Registry;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>Saving, registry loading and config checks of the Llama / Mistral / Qwen2 / GPT-J folders.</summary>
public sealed class DecoderCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("decoder-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("llama", typeof(LlamaForCausalLM), 64)]
    [InlineData("mistral", typeof(LlamaForCausalLM), 32)]
    [InlineData("qwen2", typeof(LlamaForCausalLM), 32)]
    [InlineData("gptj", typeof(GptJForCausalLM), 32)]
    public void A_saved_model_loads_back_through_the_registry_with_its_shape_and_weights(string family, Type type, int hidden)
    {
        using var model = TinyDecoders.Create(family);
        var folder = Path.Combine(_dir, family);
        model.Save(folder);
        Assert.Equal(new BackboneShape(family, 48, hidden, 2, 1, "blocks.1.hook_resid_pre"), BackboneRegistry.Shape(folder));
        using var loaded = BackboneRegistry.Load(folder);
        Assert.IsType(type, loaded);
        var ours = model.state_dict();
        foreach (var (name, t) in loaded.Module.state_dict())
            Assert.True(t.eq(ours[name]).all().item<bool>(), $"{family}: {name} differs after the round trip");
    }

    [Fact]
    public void A_tied_model_saves_no_lm_head_and_shares_the_embedding_when_loaded()
    {
        using var model = TinyDecoders.Create("qwen2");
        var folder = Path.Combine(_dir, "tied");
        model.Save(folder);
        var names = SafetensorsFile.Read(Path.Combine(folder, "model.safetensors"));
        Assert.DoesNotContain("lm_head.weight", names.Keys);
        Assert.Contains("model.layers.0.self_attn.q_proj.bias", names.Keys);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", names.Keys);
        foreach (var t in names.Values) t.Dispose();
        using var loaded = (LlamaForCausalLM)BackboneRegistry.Load(folder);
        var sd = loaded.state_dict();
        Assert.True(sd["lm_head.weight"].eq(sd["model.embed_tokens.weight"]).all().item<bool>());
    }

    [Fact]
    public void Bf16_weights_load_as_fp32()
    {
        using var model = TinyDecoders.Create("llama");
        var folder = Path.Combine(_dir, "bf16");
        model.Save(folder);
        var weights = Path.Combine(folder, "model.safetensors");
        var half = SafetensorsFile.Read(weights).ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.BFloat16));
        SafetensorsFile.Write(weights, half);
        using var loaded = BackboneRegistry.Load(folder);
        var back = loaded.Module.state_dict()["model.layers.1.mlp.gate_proj.weight"];
        Assert.Equal(ScalarType.Float32, back.dtype);
        Assert.True(back.allclose(model.state_dict()["model.layers.1.mlp.gate_proj.weight"], rtol: 1e-2, atol: 1e-2));
    }

    [Theory]
    [InlineData("llama", """ "rope_scaling": {"rope_type": "yarn", "factor": 4} """, "rope_scaling type 'yarn' is not supported")]
    [InlineData("llama", """ "num_key_value_heads": 3 """, "num_attention_heads (4) must be a multiple of num_key_value_heads (3)")]
    [InlineData("qwen2", """ "use_sliding_window": true """, "use_sliding_window=true is not supported for qwen2")]
    [InlineData("llama", """ "hidden_act": "gelu" """, "hidden_act 'gelu' is not supported")]
    public void A_config_the_forward_cannot_honour_is_refused_in_one_line_naming_the_key(string family, string extra, string expected)
    {
        var folder = Path.Combine(_dir, "bad");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"),
            $$"""{"model_type": "{{family}}", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 4, {{extra}} }""");
        var e = Assert.Throws<InvalidDataException>(() => BackboneRegistry.Shape(folder));
        Assert.Contains("config.json: " + expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_scratch_llama_is_built_from_the_registry_with_the_sizes_asked_for_and_the_seed_decides_its_weights()
    {
        var shape = new ScratchShape(VocabSize: 50, HiddenSize: 32, NumLayers: 3, NumHeads: 2, IntermediateSize: 64, RotaryPct: 0.25, MaxPositions: 16);
        using var a = BackboneRegistry.CreateScratch("llama", shape, seed: 3);
        using var b = BackboneRegistry.CreateScratch("llama", shape, seed: 3);
        using var c = BackboneRegistry.CreateScratch("llama", shape, seed: 4);
        Assert.IsType<LlamaForCausalLM>(a);
        Assert.Equal(new BackboneShape("llama", 50, 32, 3, 2, "blocks.2.hook_resid_pre"), a.Shape);
        Assert.Equal(new long[] { 64, 32 }, a.Module.state_dict()["model.layers.0.mlp.gate_proj.weight"].shape);
        Assert.True(a.Module.state_dict()["lm_head.weight"].eq(b.Module.state_dict()["lm_head.weight"]).all().item<bool>());
        Assert.False(a.Module.state_dict()["lm_head.weight"].eq(c.Module.state_dict()["lm_head.weight"]).all().item<bool>());
        Assert.Null(((CausalDecoder)a).BosTokenId);
    }

    [Fact]
    public void Gptj_rotary_dim_larger_than_the_head_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => new GptJForCausalLM(TinyDecoders.GptJ() with { RotaryDimRaw = 18 }));
        Assert.Contains("rotary_dim (18) must be even and in 1..16", e.Message);
    }

    [Theory]
    [InlineData("llama", 1)]
    [InlineData("mistral", 1)]
    [InlineData("qwen2", null)]
    [InlineData("gptj", null)]
    public void Llama_and_mistral_prompts_start_with_bos_the_others_do_not(string family, int? bos)
    {
        using var model = TinyDecoders.Create(family);
        Assert.Equal(bos, ((CausalDecoder)model).BosTokenId);
    }
}

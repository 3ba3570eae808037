using ClassifSae.FineTuning;
using ClassifSae.FineTuning.Precision;
using ClassifSae.Tests.Backbones;
using ClassifSae.Tests.Backbones.Decoders;
using ClassifSae.Tests.Backbones.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Tests.FineTuning;

/// <summary>
/// The weight-decay split by module type (HF Trainer's <c>get_decay_parameter_names</c>: biases and every parameter of a
/// LayerNorm/RMSNorm module get none). The expected no-decay sets are written out from transformers' module structure of
/// each family; the old name rule ("layernorm"/"layer_norm"/".bias") missed GPT-J's ln_1/ln_f, Llama's final model.norm
/// and BERT/RoBERTa's capitalised LayerNorm. Mistral and Qwen2: transformers 4.43.3 registers only LlamaRMSNorm in
/// ALL_LAYERNORM_LAYERS (so its Trainer decays their RMSNorm gains); the sets here exempt every RMSNorm, as releases from
/// about 4.48 do by name (docs/decoders.md).
/// </summary>
public sealed class WeightDecayGroupsTests
{
    /// <summary><paramref name="templates"/> with {0} replaced by each layer index.</summary>
    private static IEnumerable<string> PerLayer(int layers, params string[] templates) =>
        Enumerable.Range(0, layers).SelectMany(i => templates.Select(t => string.Format(t, i)));

    private static readonly string[] LlamaNorms =
        [.. PerLayer(2, "model.layers.{0}.input_layernorm.weight", "model.layers.{0}.post_attention_layernorm.weight"), "model.norm.weight"];

    public static TheoryData<string> Families => ["llama", "mistral", "qwen2", "gptj", "gpt_neox", "roberta"];

    private static nn.Module Tiny(string family) => family switch
    {
        "gpt_neox" => TinyGptNeoX.Create(),
        "roberta" => TinyRoberta.Create(),
        _ => TinyDecoders.Create(family),
    };

    private static string[] Expected(string family) => family switch
    {
        "llama" or "mistral" => LlamaNorms,
        "qwen2" => [.. LlamaNorms, .. PerLayer(2, "model.layers.{0}.self_attn.q_proj.bias", "model.layers.{0}.self_attn.k_proj.bias", "model.layers.{0}.self_attn.v_proj.bias")],
        "gptj" =>
        [
            .. PerLayer(2, "transformer.h.{0}.ln_1.weight", "transformer.h.{0}.ln_1.bias", "transformer.h.{0}.mlp.fc_in.bias", "transformer.h.{0}.mlp.fc_out.bias"),
            "transformer.ln_f.weight", "transformer.ln_f.bias", "lm_head.bias",
        ],
        "gpt_neox" =>
        [
            .. PerLayer(3, "gpt_neox.layers.{0}.input_layernorm.weight", "gpt_neox.layers.{0}.input_layernorm.bias",
                "gpt_neox.layers.{0}.post_attention_layernorm.weight", "gpt_neox.layers.{0}.post_attention_layernorm.bias",
                "gpt_neox.layers.{0}.attention.query_key_value.bias", "gpt_neox.layers.{0}.attention.dense.bias",
                "gpt_neox.layers.{0}.mlp.dense_h_to_4h.bias", "gpt_neox.layers.{0}.mlp.dense_4h_to_h.bias"),
            "gpt_neox.final_layer_norm.weight", "gpt_neox.final_layer_norm.bias",
        ],
        "roberta" =>
        [
            "roberta.embeddings.LayerNorm.weight", "roberta.embeddings.LayerNorm.bias",
            .. PerLayer(2, "roberta.encoder.layer.{0}.attention.self.query.bias", "roberta.encoder.layer.{0}.attention.self.key.bias",
                "roberta.encoder.layer.{0}.attention.self.value.bias", "roberta.encoder.layer.{0}.attention.output.dense.bias",
                "roberta.encoder.layer.{0}.attention.output.LayerNorm.weight", "roberta.encoder.layer.{0}.attention.output.LayerNorm.bias",
                "roberta.encoder.layer.{0}.intermediate.dense.bias", "roberta.encoder.layer.{0}.output.dense.bias",
                "roberta.encoder.layer.{0}.output.LayerNorm.weight", "roberta.encoder.layer.{0}.output.LayerNorm.bias"),
            "classifier.dense.bias", "classifier.out_proj.bias",
        ],
        _ => throw new ArgumentException(family),
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void The_no_decay_parameters_are_transformers_biases_and_norm_layers(string family)
    {
        using var model = Tiny(family);
        var expected = Expected(family).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Count, expected.Distinct().Count());
        Assert.Equal(expected, WeightDecayGroups.NoDecayNames(model).Order(StringComparer.Ordinal));
        // Every other parameter decays, and the split covers named_parameters exactly once each.
        var split = WeightDecayGroups.Split(model);
        Assert.Equal(model.named_parameters().Select(p => p.name), split.Select(p => p.Name));
        Assert.All(split, p => Assert.Equal(!expected.Contains(p.Name), p.Decay));
        Assert.Contains(split, p => p.Decay);
    }

    /// <summary>
    /// Through the fine-tuner's optimiser: one step on zero gradients moves only what decays (by 1 − lr·wd; Adam's term is
    /// 0/(0+ε) = 0). Llama's model.norm and GPT-J's ln_f stayed put under the name rule only by luck of a zero decay.
    /// </summary>
    [Theory]
    [InlineData("llama", "model.norm.weight", TrainingPrecision.Fp32)]
    [InlineData("gptj", "transformer.ln_f.weight", TrainingPrecision.Fp32)]
    [InlineData("gptj", "transformer.h.1.ln_1.weight", TrainingPrecision.Fp16Mixed)]
    [InlineData("roberta", "roberta.encoder.layer.0.output.LayerNorm.weight", TrainingPrecision.Fp32)]
    public void A_step_on_zero_gradients_decays_weights_but_not_norm_gains(string family, string norm, string precision)
    {
        using var model = Tiny(family);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = ScaledOptimizer.ForModel(model, weightDecay: 0.5, precision, eightBitState: false);
        optimizer.ZeroGrad();
        Assert.True(optimizer.Step(lr: 0.2, maxNorm: 1.0));
        var masters = optimizer.Optimizer;
        if (precision != TrainingPrecision.Fp32)
        {
            model.to(ScalarType.Float32);
            masters.CopyMastersInto(model.parameters().ToList());
        }
        var after = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach());
        Assert.Equal(0f, (after[norm] - before[norm]).abs().max().item<float>());
        var decayed = WeightDecayGroups.Split(model).First(p => p.Decay).Name;
        using var nonzero = before[decayed].ne(0);   // an embedding's padding row is 0
        var ratio = (after[decayed] / before[decayed]).masked_select(nonzero).mean().item<float>();
        Assert.Equal(1 - 0.2 * 0.5, ratio, 5);
    }

    [Fact]
    public void The_torchsharp_adamw_gets_the_same_groups()
    {
        using var model = TinyDecoders.Create("gptj");
        using var optimizer = AdamWFactory.Create(model, 1e-3, 0.01);
        var groups = optimizer.ParamGroups.Cast<AdamW.ParamGroup>().ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(Expected("gptj").Length, groups[1].Parameters.Count());
        Assert.Equal(model.parameters().Count() - Expected("gptj").Length, groups[0].Parameters.Count());
    }
}

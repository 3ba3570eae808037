using System.Text.Json;
using ClassifSae.Backbones;
using ClassifSae.Backbones.DebertaV2;
using ClassifSae.Backbones.SequenceClassifiers;

namespace ClassifSae.Tests.Backbones.Encoders.Configs;

/// <summary>DeBERTa-v2/v3's config.json: every key read, written back, defaulted and rejected as transformers' files need.</summary>
public sealed class DebertaV2ConfigTests : IDisposable
{
    private readonly ConfigJsonFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>deberta-v3-base saved as a fine-tuned classifier, every key we read off its default, plus keys we do not read.</summary>
    private const string Real = """
        {
          "_name_or_path": "microsoft/deberta-v3-base",
          "architectures": ["DebertaV2ForSequenceClassification"],
          "attention_head_size": 48,
          "attention_probs_dropout_prob": 0.05,
          "cls_dropout": 0.2,
          "conv_kernel_size": -1,
          "embedding_size": 768,
          "hidden_act": "gelu",
          "hidden_dropout_prob": 0.15,
          "hidden_size": 768,
          "id2label": {"0": "World", "1": "Sports", "2": "Business"},
          "initializer_range": 0.02,
          "intermediate_size": 3072,
          "label2id": {"World": 0, "Sports": 1, "Business": 2},
          "layer_norm_eps": 1e-06,
          "max_position_embeddings": 256,
          "max_relative_positions": 128,
          "model_type": "deberta-v2",
          "norm_rel_ebd": "layer_norm",
          "num_attention_heads": 12,
          "num_hidden_layers": 12,
          "pad_token_id": 3,
          "pooler_dropout": 0.25,
          "pooler_hidden_act": "gelu",
          "pooler_hidden_size": 512,
          "pos_att_type": "p2c|c2p",
          "position_biased_input": false,
          "position_buckets": 256,
          "relative_attention": true,
          "share_att_key": true,
          "torch_dtype": "float16",
          "transformers_version": "4.44.2",
          "type_vocab_size": 2,
          "vocab_size": 128100,
          "classifsae_hook_layer": 11,
          "classifsae_hook_token": "mean"
        }
        """;

    private static readonly string[] Unread = ["_name_or_path", "initializer_range", "transformers_version"];

    private DebertaV2Config Load(string json) => DebertaV2Config.Load(_files.Write(json));

    [Fact]
    public void Every_key_of_a_real_config_is_read()
    {
        var c = Load(Real);
        Assert.Equal("deberta-v2", c.ModelType);
        Assert.Equal(["DebertaV2ForSequenceClassification"], c.Architectures);
        Assert.Equal(128100, c.VocabSize);
        Assert.Equal(768, c.HiddenSize);
        Assert.Equal(12, c.NumLayers);
        Assert.Equal(12, c.NumHeads);
        Assert.Equal(3072, c.IntermediateSize);
        Assert.Equal("gelu", c.HiddenAct);
        Assert.Equal(0.15, c.HiddenDropout);
        Assert.Equal(0.05, c.AttentionDropout);
        Assert.Equal(256, c.MaxPositions);
        Assert.Equal(2, c.TypeVocabSize);
        Assert.Equal(1e-6, c.LayerNormEps);
        Assert.True(c.RelativeAttention);
        Assert.Equal(128, c.MaxRelativePositions);
        Assert.Equal(256, c.PositionBuckets);
        Assert.False(c.PositionBiasedInput);
        Assert.Equal(["p2c", "c2p"], c.PosAttType);
        Assert.True(c.ShareAttKey);
        Assert.Equal("layer_norm", c.NormRelEbd);
        Assert.Equal(3, c.PadTokenId);
        Assert.Equal(512, c.PoolerHiddenSize);
        Assert.Equal("gelu", c.PoolerHiddenAct);
        Assert.Equal(0.25, c.PoolerDropout);
        Assert.Equal(0.2, c.ClsDropout);
        Assert.Equal(768, c.EmbeddingSize);
        Assert.Equal(48, c.AttentionHeadSize);
        Assert.Equal(-1, c.ConvKernelSize);
        Assert.Equal(new Dictionary<string, string> { ["0"] = "World", ["1"] = "Sports", ["2"] = "Business" }, c.Id2Label);
        Assert.Equal(new Dictionary<string, int> { ["World"] = 0, ["Sports"] = 1, ["Business"] = 2 }, c.Label2Id);
        Assert.Equal("float16", c.TorchDtype);
        Assert.Equal(11, c.HookLayer);
        Assert.Equal("mean", c.HookToken);

        Assert.Equal(["World", "Sports", "Business"], c.ClassNames);
        Assert.Equal(3, c.NumLabels);
        Assert.Equal(48, c.HeadSize);
        Assert.Equal(512, c.PoolerSize);
        Assert.True(c.C2P);
        Assert.True(c.P2C);
        Assert.Equal(128, c.RelativeRange);
        Assert.Equal(256, c.AttentionSpan);
        Assert.True(c.NormalizeRelativeEmbeddings);
        Assert.Equal(new BackboneShape("deberta-v2", 128100, 768, 12, 11, "blocks.11.hook_resid_pre.mean"), c.Shape);
        // The BERT blocks get the shared sizes; keys DeBERTa does not pass (type_vocab_size too) keep BERT's defaults.
        Assert.Equal("""
            {
              "model_type": "bert",
              "vocab_size": 128100,
              "hidden_size": 768,
              "num_hidden_layers": 12,
              "num_attention_heads": 12,
              "intermediate_size": 3072,
              "hidden_act": "gelu",
              "max_position_embeddings": 256,
              "type_vocab_size": 2,
              "layer_norm_eps": 1E-06,
              "hidden_dropout_prob": 0.15,
              "attention_probs_dropout_prob": 0.05,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "initializer_range": 0.02
            }
            """.ReplaceLineEndings("\n"), (c with { TypeVocabSize = 0 }).Blocks.ToJson().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_real_config_is_written_back_with_the_same_keys_and_values()
    {
        var written = Load(Real).ToJson();
        // pos_att_type is written as the list transformers saves; every other key as read.
        Assert.Equal(ConfigJsonFiles.Leaves(ConfigJsonFiles.With(Real, "pos_att_type", """["p2c", "c2p"]"""), Unread), ConfigJsonFiles.Leaves(written));
        Assert.Equal(
            ["model_type", "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
             "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "hidden_dropout_prob", "attention_probs_dropout_prob",
             "pad_token_id", "architectures", "relative_attention", "max_relative_positions", "position_buckets",
             "position_biased_input", "pos_att_type", "share_att_key", "norm_rel_ebd", "pooler_hidden_size", "pooler_hidden_act",
             "pooler_dropout", "cls_dropout", "embedding_size", "attention_head_size", "conv_kernel_size", "torch_dtype", "id2label",
             "label2id", "classifsae_hook_layer", "classifsae_hook_token"],
            ConfigJsonFiles.Keys(written));
        Assert.Equal(written, Load(written).ToJson());
    }

    [Fact]
    public void An_empty_config_takes_transformers_defaults()
    {
        var c = JsonSerializer.Deserialize<DebertaV2Config>("{}")!;
        Assert.Equal("deberta-v2", c.ModelType);
        Assert.Equal(["DebertaV2ForSequenceClassification"], c.Architectures);
        Assert.Equal(0, c.VocabSize);
        Assert.Equal(0, c.HiddenSize);
        Assert.Equal(0, c.NumLayers);
        Assert.Equal(0, c.NumHeads);
        Assert.Equal(0, c.IntermediateSize);
        Assert.Equal("gelu", c.HiddenAct);
        Assert.Equal(0.1, c.HiddenDropout);
        Assert.Equal(0.1, c.AttentionDropout);
        Assert.Equal(512, c.MaxPositions);
        Assert.Equal(0, c.TypeVocabSize);
        Assert.Equal(1e-7, c.LayerNormEps);
        Assert.False(c.RelativeAttention);
        Assert.Equal(-1, c.MaxRelativePositions);
        Assert.Equal(-1, c.PositionBuckets);
        Assert.True(c.PositionBiasedInput);
        Assert.Empty(c.PosAttType);
        Assert.False(c.ShareAttKey);
        Assert.Equal("none", c.NormRelEbd);
        Assert.Equal(0, c.PadTokenId);
        Assert.Null(c.PoolerHiddenSize);
        Assert.Equal("gelu", c.PoolerHiddenAct);
        Assert.Equal(0, c.PoolerDropout);
        Assert.Null(c.ClsDropout);
        Assert.Null(c.EmbeddingSize);
        Assert.Null(c.AttentionHeadSize);
        Assert.Equal(0, c.ConvKernelSize);
        Assert.Null(c.Id2Label);
        Assert.Null(c.Label2Id);
        Assert.Equal("float32", c.TorchDtype);
        Assert.Null(c.HookLayer);
        Assert.Null(c.HookToken);
        Assert.Equal(["LABEL_0", "LABEL_1"], c.ClassNames);
        Assert.Equal(512, c.RelativeRange);
        Assert.Equal(512, c.AttentionSpan);
        Assert.False(c.NormalizeRelativeEmbeddings);
        Assert.Equal(new DebertaV2Config().ToJson(), c.ToJson());
        Assert.Equal("""
            {
              "model_type": "deberta-v2",
              "vocab_size": 0,
              "hidden_size": 0,
              "num_hidden_layers": 0,
              "num_attention_heads": 0,
              "intermediate_size": 0,
              "hidden_act": "gelu",
              "max_position_embeddings": 512,
              "type_vocab_size": 0,
              "layer_norm_eps": 1E-07,
              "hidden_dropout_prob": 0.1,
              "attention_probs_dropout_prob": 0.1,
              "pad_token_id": 0,
              "architectures": [
                "DebertaV2ForSequenceClassification"
              ],
              "relative_attention": false,
              "max_relative_positions": -1,
              "position_buckets": -1,
              "position_biased_input": true,
              "pos_att_type": [],
              "share_att_key": false,
              "norm_rel_ebd": "none",
              "pooler_hidden_act": "gelu",
              "pooler_dropout": 0,
              "conv_kernel_size": 0,
              "torch_dtype": "float32",
              "id2label": {
                "0": "LABEL_0",
                "1": "LABEL_1"
              },
              "label2id": {
                "LABEL_0": 0,
                "LABEL_1": 1
              }
            }
            """.ReplaceLineEndings("\n"), c.ToJson().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("model_type", "\"deberta\"", "model_type 'deberta' is not supported (expected 'deberta-v2')")]
    [InlineData("vocab_size", "0", "vocab_size must be positive")]
    [InlineData("hidden_size", "0", "hidden_size and num_attention_heads must be positive")]
    [InlineData("num_attention_heads", "0", "hidden_size and num_attention_heads must be positive")]
    [InlineData("attention_head_size", "0", "attention_head_size must be positive")]
    [InlineData("num_hidden_layers", "0", "num_hidden_layers must be positive")]
    [InlineData("intermediate_size", "0", "intermediate_size must be positive")]
    [InlineData("hidden_act", "\"gelu_new\"", "hidden_act 'gelu_new' is not supported (expected 'gelu')")]
    [InlineData("pooler_hidden_act", "\"tanh\"", "pooler_hidden_act 'tanh' is not supported (expected 'gelu')")]
    [InlineData("max_position_embeddings", "0", "max_position_embeddings must be positive")]
    [InlineData("type_vocab_size", "-1", "type_vocab_size must be >= 0")]
    [InlineData("layer_norm_eps", "0", "layer_norm_eps must be positive")]
    [InlineData("pos_att_type", "\"c2p|p2p\"", "pos_att_type [c2p, p2p] is not supported (expected c2p and/or p2c)")]
    [InlineData("position_buckets", "1", "position_buckets must be >= 2 when set")]
    [InlineData("embedding_size", "512", "embedding_size 512 differs from hidden_size (embed_proj is not supported)")]
    [InlineData("conv_kernel_size", "3", "conv_kernel_size > 0 (the convolution layer) is not supported")]
    [InlineData("pad_token_id", "128100", "pad_token_id 128100 is outside the vocabulary")]
    [InlineData("pad_token_id", "-1", "pad_token_id -1 is outside the vocabulary")]
    [InlineData("id2label", """{"0": "a", "2": "b"}""", "id2label key '2' is not a class index 0..1")]
    [InlineData("id2label", """{"0": "a"}""", "id2label must name at least 2 classes, got 1")]
    [InlineData(EncoderHook.LayerKey, "13", "classifsae_hook_layer 13 is outside 0..12")]
    [InlineData(EncoderHook.TokenKey, "\"last\"", "classifsae_hook_token 'last' is not supported (expected 'cls' or 'mean')")]
    [InlineData("vocab_size", "\"many\"", "not a valid config.json (The JSON value could not be converted to System.Int32. Path: $.vocab_size | LineNumber: 0 | BytePositionInLine: 932.)")]
    public void A_bad_value_is_named_in_one_line(string key, string value, string message) =>
        Assert.Equal(message, _files.ErrorOf(p => DebertaV2Config.Load(p), ConfigJsonFiles.With(Real, key, value)));

    [Fact]
    public void Hidden_size_must_divide_into_heads_unless_the_head_size_is_given()
    {
        var noHeadSize = ConfigJsonFiles.With(ConfigJsonFiles.With(Real, "attention_head_size", "null"), "hidden_size", "770");
        Assert.Equal("hidden_size must be a multiple of num_attention_heads", _files.ErrorOf(p => DebertaV2Config.Load(p), ConfigJsonFiles.With(noHeadSize, "embedding_size", "770")));
        Assert.Equal(770, Load(ConfigJsonFiles.With(ConfigJsonFiles.With(Real, "hidden_size", "770"), "embedding_size", "770")).HiddenSize);
    }

    [Fact]
    public void A_null_or_missing_file_is_named()
    {
        Assert.Equal("empty config.json", _files.ErrorOf(p => DebertaV2Config.Load(p), "null"));
        var e = Assert.Throws<FileNotFoundException>(() => DebertaV2Config.Load("/no/such/config.json"));
        Assert.Equal("/no/such/config.json: model config not found", e.Message);
    }

    /// <summary>Keys DeBERTa reads but does not check (BERT checks the dropouts): pinned so that sharing code does not tighten them by accident.</summary>
    [Theory]
    [InlineData("hidden_dropout_prob", "1.5")]
    [InlineData("attention_probs_dropout_prob", "-1")]
    [InlineData("pooler_dropout", "2")]
    public void Keys_deberta_does_not_check(string key, string value) => Load(ConfigJsonFiles.With(Real, key, value));
}

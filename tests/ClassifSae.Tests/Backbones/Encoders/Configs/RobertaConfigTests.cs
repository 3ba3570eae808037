using System.Text.Json;
using ClassifSae.Backbones;
using ClassifSae.Backbones.Roberta;
using ClassifSae.Backbones.SequenceClassifiers;

namespace ClassifSae.Tests.Backbones.Encoders.Configs;

/// <summary>RoBERTa's config.json: every key read, written back, defaulted and rejected as transformers' files need.</summary>
public sealed class RobertaConfigTests : IDisposable
{
    private readonly ConfigJsonFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>roberta-base saved as a fine-tuned classifier, every key we read off its default, plus keys we do not read.</summary>
    private const string Real = """
        {
          "_name_or_path": "FacebookAI/roberta-base",
          "architectures": ["RobertaForSequenceClassification", "RobertaModel"],
          "attention_probs_dropout_prob": 0.05,
          "bos_token_id": 5,
          "classifier_dropout": 0.3,
          "eos_token_id": 6,
          "hidden_act": "gelu",
          "hidden_dropout_prob": 0.15,
          "hidden_size": 768,
          "id2label": {"0": "World", "1": "Sports", "2": "Business"},
          "initializer_range": 0.02,
          "intermediate_size": 3072,
          "label2id": {"World": 0, "Sports": 1, "Business": 2},
          "layer_norm_eps": 1e-06,
          "max_position_embeddings": 520,
          "model_type": "roberta",
          "num_attention_heads": 12,
          "num_hidden_layers": 12,
          "pad_token_id": 4,
          "position_embedding_type": "absolute",
          "problem_type": "single_label_classification",
          "torch_dtype": "bfloat16",
          "transformers_version": "4.44.2",
          "type_vocab_size": 2,
          "use_cache": true,
          "vocab_size": 50265,
          "classifsae_hook_layer": 11,
          "classifsae_hook_token": "mean"
        }
        """;

    private static readonly string[] Unread = ["_name_or_path", "initializer_range", "problem_type", "transformers_version", "use_cache"];

    private RobertaConfig Load(string json) => RobertaConfig.Load(_files.Write(json));

    [Fact]
    public void Every_key_of_a_real_config_is_read()
    {
        var c = Load(Real);
        Assert.Equal("roberta", c.ModelType);
        Assert.Equal(["RobertaForSequenceClassification", "RobertaModel"], c.Architectures);
        Assert.Equal(50265, c.VocabSize);
        Assert.Equal(768, c.HiddenSize);
        Assert.Equal(12, c.NumLayers);
        Assert.Equal(12, c.NumHeads);
        Assert.Equal(3072, c.IntermediateSize);
        Assert.Equal("gelu", c.HiddenAct);
        Assert.Equal(520, c.MaxPositions);
        Assert.Equal(2, c.TypeVocabSize);
        Assert.Equal(1e-6, c.LayerNormEps);
        Assert.Equal(0.15, c.HiddenDropout);
        Assert.Equal(0.05, c.AttentionDropout);
        Assert.Equal(0.3, c.ClassifierDropout);
        Assert.Equal("absolute", c.PositionEmbeddingType);
        Assert.Equal(4, c.PadTokenId);
        Assert.Equal(5, c.BosTokenId);
        Assert.Equal(6, c.EosTokenId);
        Assert.Equal(new Dictionary<string, string> { ["0"] = "World", ["1"] = "Sports", ["2"] = "Business" }, c.Id2Label);
        Assert.Equal(new Dictionary<string, int> { ["World"] = 0, ["Sports"] = 1, ["Business"] = 2 }, c.Label2Id);
        Assert.Equal("bfloat16", c.TorchDtype);
        Assert.Equal(11, c.HookLayer);
        Assert.Equal("mean", c.HookToken);

        Assert.Equal(["World", "Sports", "Business"], c.ClassNames);
        Assert.Equal(3, c.NumLabels);
        Assert.Equal(515, c.MaxLength);
        Assert.Equal(new BackboneShape("roberta", 50265, 768, 12, 11, "blocks.11.hook_resid_pre.mean"), c.Shape);
        // The BERT blocks get the shared sizes; keys RoBERTa does not pass keep BERT's defaults.
        Assert.Equal("""
            {
              "model_type": "bert",
              "vocab_size": 50265,
              "hidden_size": 768,
              "num_hidden_layers": 12,
              "num_attention_heads": 12,
              "intermediate_size": 3072,
              "hidden_act": "gelu",
              "max_position_embeddings": 520,
              "type_vocab_size": 2,
              "layer_norm_eps": 1E-06,
              "hidden_dropout_prob": 0.15,
              "attention_probs_dropout_prob": 0.05,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "initializer_range": 0.02
            }
            """.ReplaceLineEndings("\n"), c.Blocks.ToJson().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_real_config_is_written_back_with_the_same_keys_and_values()
    {
        var written = Load(Real).ToJson();
        Assert.Equal(ConfigJsonFiles.Leaves(Real, Unread), ConfigJsonFiles.Leaves(written));
        Assert.Equal(
            ["model_type", "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
             "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "hidden_dropout_prob", "attention_probs_dropout_prob",
             "pad_token_id", "architectures", "classifier_dropout", "position_embedding_type", "bos_token_id", "eos_token_id",
             "torch_dtype", "id2label", "label2id", "classifsae_hook_layer", "classifsae_hook_token"],
            ConfigJsonFiles.Keys(written));
        Assert.Equal(written, Load(written).ToJson());
    }

    [Fact]
    public void Label2id_is_written_from_id2label()
    {
        var written = Load(ConfigJsonFiles.With(Real, "label2id", """{"stale": 7}""")).ToJson();
        Assert.Equal(ConfigJsonFiles.Leaves(Real, Unread), ConfigJsonFiles.Leaves(written));
    }

    [Fact]
    public void An_empty_config_takes_transformers_defaults()
    {
        var c = JsonSerializer.Deserialize<RobertaConfig>("{}")!;
        Assert.Equal("roberta", c.ModelType);
        Assert.Equal(["RobertaForSequenceClassification"], c.Architectures);
        Assert.Equal(0, c.VocabSize);
        Assert.Equal(0, c.HiddenSize);
        Assert.Equal(0, c.NumLayers);
        Assert.Equal(0, c.NumHeads);
        Assert.Equal(0, c.IntermediateSize);
        Assert.Equal("gelu", c.HiddenAct);
        Assert.Equal(514, c.MaxPositions);
        Assert.Equal(1, c.TypeVocabSize);
        Assert.Equal(1e-5, c.LayerNormEps);
        Assert.Equal(0.1, c.HiddenDropout);
        Assert.Equal(0.1, c.AttentionDropout);
        Assert.Null(c.ClassifierDropout);
        Assert.Equal("absolute", c.PositionEmbeddingType);
        Assert.Equal(1, c.PadTokenId);
        Assert.Equal(0, c.BosTokenId);
        Assert.Equal(2, c.EosTokenId);
        Assert.Null(c.Id2Label);
        Assert.Null(c.Label2Id);
        Assert.Equal("float32", c.TorchDtype);
        Assert.Null(c.HookLayer);
        Assert.Null(c.HookToken);
        Assert.Equal(["LABEL_0", "LABEL_1"], c.ClassNames);
        Assert.Equal(2, c.NumLabels);
        Assert.Equal(512, c.MaxLength);
        Assert.Equal(new RobertaConfig().ToJson(), c.ToJson());
        Assert.Equal("""
            {
              "model_type": "roberta",
              "vocab_size": 0,
              "hidden_size": 0,
              "num_hidden_layers": 0,
              "num_attention_heads": 0,
              "intermediate_size": 0,
              "hidden_act": "gelu",
              "max_position_embeddings": 514,
              "type_vocab_size": 1,
              "layer_norm_eps": 1E-05,
              "hidden_dropout_prob": 0.1,
              "attention_probs_dropout_prob": 0.1,
              "pad_token_id": 1,
              "architectures": [
                "RobertaForSequenceClassification"
              ],
              "position_embedding_type": "absolute",
              "bos_token_id": 0,
              "eos_token_id": 2,
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
    [InlineData("model_type", "\"bert\"", "model_type 'bert' is not supported (expected 'roberta')")]
    [InlineData("vocab_size", "0", "vocab_size must be positive")]
    [InlineData("hidden_size", "100", "hidden_size must be a positive multiple of num_attention_heads")]
    [InlineData("hidden_size", "0", "hidden_size must be a positive multiple of num_attention_heads")]
    [InlineData("num_attention_heads", "0", "hidden_size must be a positive multiple of num_attention_heads")]
    [InlineData("num_hidden_layers", "0", "num_hidden_layers must be positive")]
    [InlineData("intermediate_size", "0", "intermediate_size must be positive")]
    [InlineData("hidden_act", "\"gelu_new\"", "hidden_act 'gelu_new' is not supported (expected 'gelu')")]
    [InlineData("position_embedding_type", "\"relative_key\"", "position_embedding_type 'relative_key' is not supported (expected 'absolute')")]
    [InlineData("pad_token_id", "50265", "pad_token_id 50265 is outside the vocabulary")]
    [InlineData("pad_token_id", "-1", "pad_token_id -1 is outside the vocabulary")]
    [InlineData("max_position_embeddings", "5", "max_position_embeddings 5 leaves no position after pad_token_id + 1")]
    [InlineData("max_position_embeddings", "0", "max_position_embeddings 0 leaves no position after pad_token_id + 1")]
    [InlineData("type_vocab_size", "0", "type_vocab_size must be positive")]
    [InlineData("layer_norm_eps", "0", "layer_norm_eps must be positive")]
    [InlineData("id2label", """{"0": "a", "2": "b"}""", "id2label key '2' is not a class index 0..1")]
    [InlineData("id2label", """{"0": "a"}""", "id2label must name at least 2 classes, got 1")]
    [InlineData(EncoderHook.LayerKey, "13", "classifsae_hook_layer 13 is outside 0..12")]
    [InlineData(EncoderHook.TokenKey, "\"last\"", "classifsae_hook_token 'last' is not supported (expected 'cls' or 'mean')")]
    [InlineData("vocab_size", "\"many\"", "not a valid config.json (The JSON value could not be converted to System.Int32. Path: $.vocab_size | LineNumber: 0 | BytePositionInLine: 757.)")]
    public void A_bad_value_is_named_in_one_line(string key, string value, string message) =>
        Assert.Equal(message, _files.ErrorOf(p => RobertaConfig.Load(p), ConfigJsonFiles.With(Real, key, value)));

    [Fact]
    public void A_null_or_missing_file_is_named()
    {
        Assert.Equal("empty config.json", _files.ErrorOf(p => RobertaConfig.Load(p), "null"));
        var e = Assert.Throws<FileNotFoundException>(() => RobertaConfig.Load("/no/such/config.json"));
        Assert.Equal("/no/such/config.json: model config not found", e.Message);
    }

    /// <summary>Keys RoBERTa reads but does not check (BERT checks the dropouts): pinned so that sharing code does not tighten them by accident.</summary>
    [Theory]
    [InlineData("hidden_dropout_prob", "1.5")]
    [InlineData("attention_probs_dropout_prob", "-1")]
    [InlineData("classifier_dropout", "2")]
    public void Keys_roberta_does_not_check(string key, string value) => Load(ConfigJsonFiles.With(Real, key, value));
}

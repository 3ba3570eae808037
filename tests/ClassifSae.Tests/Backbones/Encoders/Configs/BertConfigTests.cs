using System.Text.Json;
using ClassifSae.Backbones;
using ClassifSae.Backbones.Bert;
using ClassifSae.Backbones.SequenceClassifiers;

namespace ClassifSae.Tests.Backbones.Encoders.Configs;

/// <summary>BERT's config.json: every key read, written back, defaulted and rejected as transformers' files need.</summary>
public sealed class BertConfigTests : IDisposable
{
    private readonly ConfigJsonFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>all-MiniLM-L6-v2 saved as a fine-tuned classifier, every key we read off its default, plus keys we do not read.</summary>
    private const string Real = """
        {
          "_name_or_path": "sentence-transformers/all-MiniLM-L6-v2",
          "architectures": ["BertForSequenceClassification"],
          "attention_probs_dropout_prob": 0.05,
          "classifier_dropout": 0.2,
          "gradient_checkpointing": false,
          "hidden_act": "gelu",
          "hidden_dropout_prob": 0.15,
          "hidden_size": 384,
          "id2label": {"0": "World", "1": "Sports", "2": "Business"},
          "initializer_range": 0.03,
          "intermediate_size": 1536,
          "label2id": {"World": 0, "Sports": 1, "Business": 2},
          "layer_norm_eps": 1e-06,
          "max_position_embeddings": 256,
          "model_type": "bert",
          "num_attention_heads": 12,
          "num_hidden_layers": 6,
          "pad_token_id": 3,
          "position_embedding_type": "absolute",
          "transformers_version": "4.44.2",
          "type_vocab_size": 4,
          "use_cache": true,
          "vocab_size": 30522,
          "classifsae_hook_layer": 4,
          "classifsae_hook_token": "mean"
        }
        """;

    private static readonly string[] Unread = ["_name_or_path", "gradient_checkpointing", "transformers_version", "use_cache"];

    private BertConfig Load(string json) => BertConfig.Load(_files.Write(json));

    [Fact]
    public void Every_key_of_a_real_config_is_read()
    {
        var c = Load(Real);
        Assert.Equal("bert", c.ModelType);
        Assert.Equal(["BertForSequenceClassification"], c.Architectures!);
        Assert.Equal(30522, c.VocabSize);
        Assert.Equal(384, c.HiddenSize);
        Assert.Equal(6, c.NumLayers);
        Assert.Equal(12, c.NumHeads);
        Assert.Equal(1536, c.IntermediateSize);
        Assert.Equal("gelu", c.HiddenAct);
        Assert.Equal(256, c.MaxPositions);
        Assert.Equal(4, c.TypeVocabSize);
        Assert.Equal(1e-6, c.LayerNormEps);
        Assert.Equal("absolute", c.PositionEmbeddingType);
        Assert.Equal(0.15, c.HiddenDropout);
        Assert.Equal(0.05, c.AttentionDropout);
        Assert.Equal(0.2, c.ClassifierDropout);
        Assert.Equal(3, c.PadTokenId);
        Assert.Equal(0.03, c.InitializerRange);
        Assert.Equal(new Dictionary<string, string> { ["0"] = "World", ["1"] = "Sports", ["2"] = "Business" }, c.Id2Label);
        Assert.Equal(new Dictionary<string, int> { ["World"] = 0, ["Sports"] = 1, ["Business"] = 2 }, c.Label2Id);
        Assert.Equal(4, c.HookLayer);
        Assert.Equal("mean", c.HookToken);

        Assert.Equal(32, c.HeadDim);
        Assert.Equal(new EncoderHook(4, "mean"), c.Hook);
        Assert.Equal(["World", "Sports", "Business"], c.ClassNames!);
        Assert.Equal(new BackboneShape("bert", 30522, 384, 6, 4, "blocks.4.hook_resid_pre.mean"), BertForSequenceClassification.ShapeOf(c));
    }

    [Fact]
    public void A_real_config_is_written_back_with_the_same_keys_and_values()
    {
        var written = Load(Real).ToJson();
        Assert.Equal(ConfigJsonFiles.Leaves(Real, Unread), ConfigJsonFiles.Leaves(written));
        Assert.Equal(
            ["model_type", "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
             "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "hidden_dropout_prob", "attention_probs_dropout_prob",
             "pad_token_id", "position_embedding_type", "classifier_dropout", "initializer_range", "architectures", "id2label",
             "label2id", "classifsae_hook_layer", "classifsae_hook_token"],
            ConfigJsonFiles.Keys(written));
        Assert.Equal(written, Load(written).ToJson());
    }

    [Fact]
    public void An_empty_config_takes_transformers_defaults()
    {
        var c = JsonSerializer.Deserialize<BertConfig>("{}")!;
        Assert.Equal("bert", c.ModelType);
        Assert.Null(c.Architectures);
        Assert.Equal(0, c.VocabSize);
        Assert.Equal(0, c.HiddenSize);
        Assert.Equal(0, c.NumLayers);
        Assert.Equal(0, c.NumHeads);
        Assert.Equal(0, c.IntermediateSize);
        Assert.Equal("gelu", c.HiddenAct);
        Assert.Equal(0, c.MaxPositions);
        Assert.Equal(2, c.TypeVocabSize);
        Assert.Equal(1e-12, c.LayerNormEps);
        Assert.Equal("absolute", c.PositionEmbeddingType);
        Assert.Equal(0.1, c.HiddenDropout);
        Assert.Equal(0.1, c.AttentionDropout);
        Assert.Null(c.ClassifierDropout);
        Assert.Equal(0, c.PadTokenId);
        Assert.Equal(0.02, c.InitializerRange);
        Assert.Null(c.Id2Label);
        Assert.Null(c.Label2Id);
        Assert.Null(c.HookLayer);
        Assert.Null(c.HookToken);
        Assert.Null(c.ClassNames);
        Assert.Equal(new BertConfig().ToJson(), c.ToJson());
        Assert.Equal("""
            {
              "model_type": "bert",
              "vocab_size": 0,
              "hidden_size": 0,
              "num_hidden_layers": 0,
              "num_attention_heads": 0,
              "intermediate_size": 0,
              "hidden_act": "gelu",
              "max_position_embeddings": 0,
              "type_vocab_size": 2,
              "layer_norm_eps": 1E-12,
              "hidden_dropout_prob": 0.1,
              "attention_probs_dropout_prob": 0.1,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "initializer_range": 0.02
            }
            """.ReplaceLineEndings("\n"), c.ToJson().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("model_type", "\"roberta\"", "model_type 'roberta' is not supported (expected 'bert')")]
    [InlineData("vocab_size", "0", "vocab_size must be positive")]
    [InlineData("hidden_size", "100", "hidden_size must be a positive multiple of num_attention_heads")]
    [InlineData("hidden_size", "0", "hidden_size must be a positive multiple of num_attention_heads")]
    [InlineData("num_attention_heads", "0", "hidden_size must be a positive multiple of num_attention_heads")]
    [InlineData("num_hidden_layers", "0", "num_hidden_layers must be positive")]
    [InlineData("intermediate_size", "0", "intermediate_size must be positive")]
    [InlineData("hidden_act", "\"gelu_new\"", "hidden_act 'gelu_new' is not supported (expected 'gelu')")]
    [InlineData("max_position_embeddings", "0", "max_position_embeddings must be positive")]
    [InlineData("type_vocab_size", "0", "type_vocab_size must be positive")]
    [InlineData("layer_norm_eps", "0", "layer_norm_eps must be positive")]
    [InlineData("position_embedding_type", "\"relative_key\"", "position_embedding_type 'relative_key' is not supported (expected 'absolute')")]
    [InlineData("hidden_dropout_prob", "1", "dropout probabilities must lie in [0, 1)")]
    [InlineData("attention_probs_dropout_prob", "-0.1", "dropout probabilities must lie in [0, 1)")]
    [InlineData("classifier_dropout", "1.5", "dropout probabilities must lie in [0, 1)")]
    [InlineData("id2label", """{"0": "a", "2": "b"}""", "id2label must map every class index 0..n-1 (as strings) to a name")]
    [InlineData("id2label", "{}", "id2label must map every class index 0..n-1 (as strings) to a name")]
    [InlineData(EncoderHook.LayerKey, "7", "classifsae_hook_layer must lie in 0..6")]
    [InlineData(EncoderHook.LayerKey, "-1", "classifsae_hook_layer must lie in 0..6")]
    [InlineData(EncoderHook.TokenKey, "\"last\"", "classifsae_hook_token 'last' is not supported (expected cls or mean)")]
    [InlineData("vocab_size", "\"many\"", "not a valid config.json (The JSON value could not be converted to System.Int32. Path: $.vocab_size | LineNumber: 0 | BytePositionInLine: 677.)")]
    public void A_bad_value_is_named_in_one_line(string key, string value, string message) =>
        Assert.Equal(message, _files.ErrorOf(p => BertConfig.Load(p), ConfigJsonFiles.With(Real, key, value)));

    [Fact]
    public void A_null_or_missing_file_is_named()
    {
        Assert.Equal("empty config.json", _files.ErrorOf(p => BertConfig.Load(p), "null"));
        var e = Assert.Throws<FileNotFoundException>(() => BertConfig.Load("/no/such/config.json"));
        Assert.Equal("/no/such/config.json: model config not found", e.Message);
    }

    /// <summary>Keys BERT reads but does not check (RoBERTa and DeBERTa check pad_token_id): pinned so that sharing code does not tighten them by accident.</summary>
    [Theory]
    [InlineData("pad_token_id", "99999")]
    [InlineData("initializer_range", "-1")]
    public void Keys_bert_does_not_check(string key, string value) => Load(ConfigJsonFiles.With(Real, key, value));
}

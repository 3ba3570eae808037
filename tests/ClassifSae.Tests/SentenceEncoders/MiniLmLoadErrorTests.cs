using ClassifSae.Formats;
using ClassifSae.SentenceEncoders.MiniLm;
using static TorchSharp.torch;

namespace ClassifSae.Tests.SentenceEncoders;

/// <summary>Folders that sentence-transformers would not encode the way we do fail with the file and field named.</summary>
public sealed class MiniLmLoadErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minilm-err-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder() => TinyBertFolder.Create(Path.Combine(_dir, "m"));

    private static void EditConfig(string folder, string key, string jsonValue)
    {
        var path = Path.Combine(folder, "config.json");
        var cfg = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        cfg[key] = System.Text.Json.Nodes.JsonNode.Parse(jsonValue);
        File.WriteAllText(path, cfg.ToJsonString());
    }

    private static void EditWeights(string folder, Action<Dictionary<string, Tensor>> edit)
    {
        var path = TinyBertFolder.WeightsPath(folder);
        var tensors = SafetensorsFile.Read(path);
        edit(tensors);
        SafetensorsFile.Write(path, tensors);
    }

    [Fact]
    public void A_missing_config_json_is_named()
    {
        var folder = Folder();
        File.Delete(Path.Combine(folder, "config.json"));
        var e = Assert.Throws<FileNotFoundException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains("config.json: model config not found", e.Message);
    }

    [Theory]
    [InlineData("model_type", "\"roberta\"", "model_type 'roberta' is not supported (expected 'bert')")]
    [InlineData("hidden_act", "\"gelu_new\"", "hidden_act 'gelu_new' is not supported (expected 'gelu')")]
    [InlineData("position_embedding_type", "\"relative_key\"", "position_embedding_type 'relative_key' is not supported")]
    public void An_unsupported_architecture_is_rejected(string key, string value, string message)
    {
        var folder = Folder();
        EditConfig(folder, key, value);
        var e = Assert.Throws<InvalidDataException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains(message, e.Message);
        Assert.Contains("config.json", e.Message);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        var folder = Folder();
        EditWeights(folder, t => t.Remove("encoder.layer.1.attention.self.key.bias"));
        var e = Assert.Throws<InvalidDataException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains("missing tensor 'encoder.layer.1.attention.self.key.bias'", e.Message);
    }

    [Fact]
    public void Unexpected_and_misshaped_tensors_are_named()
    {
        var folder = Folder();
        EditWeights(folder, t => t["encoder.layer.2.output.dense.weight"] = zeros(32, 64));
        var extra = Assert.Throws<InvalidDataException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains("unexpected tensor 'encoder.layer.2.output.dense.weight' for a BERT model with 2 layers", extra.Message);

        folder = TinyBertFolder.Create(Path.Combine(_dir, "shape"));
        EditWeights(folder, t => t["encoder.layer.0.intermediate.dense.weight"] = zeros(32, 64));
        var shape = Assert.Throws<InvalidDataException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains("'encoder.layer.0.intermediate.dense.weight' has shape [32,64], expected [64,32]", shape.Message);
    }

    [Fact]
    public void A_pooling_mode_other_than_mean_is_rejected()
    {
        var folder = Folder();
        TinyBertFolder.WritePooling(folder, meanTokens: false, clsToken: true);
        var e = Assert.Throws<InvalidDataException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains(Path.Combine("1_Pooling", "config.json"), e.Message);
        Assert.Contains("pooling_mode_mean_tokens must be true", e.Message);

        TinyBertFolder.WritePooling(folder, meanTokens: true, clsToken: true);
        var both = Assert.Throws<InvalidDataException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains("pooling_mode_cls_token is true", both.Message);
    }

    [Fact]
    public void A_dense_module_after_pooling_is_rejected()
    {
        var folder = Folder();
        File.WriteAllText(Path.Combine(folder, "modules.json"), """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]
            """);
        var e = Assert.Throws<InvalidDataException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains("modules.json: module 2 of type 'sentence_transformers.models.Dense' is not supported", e.Message);
    }

    [Fact]
    public void Only_safetensors_weights_are_read()
    {
        var folder = Folder();
        File.Move(TinyBertFolder.WeightsPath(folder), Path.Combine(folder, "pytorch_model.bin"));
        var e = Assert.Throws<FileNotFoundException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains("model.safetensors is required (pytorch_model.bin is not read)", e.Message);
    }

    [Fact]
    public void A_missing_vocabulary_is_named()
    {
        var folder = Folder();
        File.Delete(Path.Combine(folder, "vocab.txt"));
        var e = Assert.Throws<FileNotFoundException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains("neither vocab.txt nor tokenizer.json found", e.Message);
    }

    [Fact]
    public void A_max_seq_length_beyond_the_position_table_is_rejected()
    {
        var folder = TinyBertFolder.Create(Path.Combine(_dir, "long"), maxSeqLength: 65);
        var e = Assert.Throws<InvalidDataException>(() => MiniLmEncoder.Load(folder));
        Assert.Contains("sentence_bert_config.json: max_seq_length 65 exceeds max_position_embeddings 64", e.Message);
    }
}

using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

public sealed class GptNeoXCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neox-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Save_then_load_reproduces_the_logits_exactly()
    {
        using var model = TinyGptNeoX.Create(seed: 7);
        var folder = Path.Combine(_dir, "m");
        GptNeoXCheckpoint.Save(model, folder);
        Assert.True(File.Exists(Path.Combine(folder, "config.json")));
        using var loaded = GptNeoXCheckpoint.Load(folder);
        loaded.eval();
        using var _ = no_grad();
        using var batch = TokenBatch.LeftPadded([[1, 2, 3, 4, 5]], padId: 0);
        using var a = model.Logits(batch);
        using var b = loaded.Logits(batch);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_missing_tensor_is_named_in_the_error()
    {
        using var model = TinyGptNeoX.Create();
        var folder = Path.Combine(_dir, "m");
        GptNeoXCheckpoint.Save(model, folder);
        var weights = Path.Combine(folder, "model.safetensors");
        var tensors = SafetensorsFile.Read(weights);
        tensors.Remove("gpt_neox.layers.1.mlp.dense_4h_to_h.weight");
        SafetensorsFile.Write(weights, tensors);
        var e = Assert.Throws<InvalidDataException>(() => GptNeoXCheckpoint.Load(folder));
        Assert.Contains("missing tensor 'gpt_neox.layers.1.mlp.dense_4h_to_h.weight'", e.Message);
    }

    [Fact]
    public void A_misshaped_tensor_is_named_in_the_error()
    {
        using var model = TinyGptNeoX.Create();
        var folder = Path.Combine(_dir, "m");
        GptNeoXCheckpoint.Save(model, folder);
        var weights = Path.Combine(folder, "model.safetensors");
        var tensors = SafetensorsFile.Read(weights);
        tensors["embed_out.weight"] = zeros(3, 3);
        SafetensorsFile.Write(weights, tensors);
        var e = Assert.Throws<InvalidDataException>(() => GptNeoXCheckpoint.Load(folder));
        Assert.Contains("'embed_out.weight' has shape [3,3]", e.Message);
    }

    [Fact]
    public void An_unknown_architecture_is_rejected()
    {
        var folder = Path.Combine(_dir, "llama");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), """{"model_type":"llama","vocab_size":10,"hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":16}""");
        var e = Assert.Throws<InvalidDataException>(() => GptNeoXCheckpoint.Load(folder));
        Assert.Contains("model_type 'llama' is not supported", e.Message);
    }
}

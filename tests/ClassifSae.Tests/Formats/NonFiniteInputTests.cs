using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Caching;
using ClassifSae.Concepts.Sae;
using ClassifSae.Formats;
using ClassifSae.Tests.Backbones;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Formats;

/// <summary>
/// NaN used to travel silently (issue 12, item 5): NaN weights gave a NaN cache and exit 0, a NaN shard failed in Train with
/// "Target -9223372036854775808 is out of bounds", NaN SAE weights failed half-way through writing. Each now stops where it
/// enters, naming the file and the tensor.
/// </summary>
public sealed class NonFiniteInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nonfinite-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_checkpoint_with_a_NaN_weight_is_refused_naming_the_file_and_tensor()
    {
        using var model = TinyGptNeoX.Create();
        var folder = Path.Combine(_dir, "m");
        GptNeoXCheckpoint.Save(model, folder);
        var weights = Path.Combine(folder, "model.safetensors");
        var tensors = SafetensorsFile.Read(weights);
        var name = "gpt_neox.layers.1.mlp.dense_4h_to_h.weight";
        tensors[name][0, 0] = float.NaN;
        tensors[name][1, 2] = float.PositiveInfinity;
        SafetensorsFile.Write(weights, tensors);
        var e = Assert.Throws<InvalidDataException>(() => GptNeoXCheckpoint.Load(folder));
        Assert.StartsWith($"{weights}: tensor '{name}' holds 1 NaN and 1 infinite value(s)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_half_precision_infinity_is_refused_too()
    {
        using var model = TinyGptNeoX.Create();
        var folder = Path.Combine(_dir, "m");
        GptNeoXCheckpoint.Save(model, folder);
        var weights = Path.Combine(folder, "model.safetensors");
        var tensors = SafetensorsFile.Read(weights);
        var half = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float16));
        half["embed_out.weight"][0, 0] = 1e6f; // overflows fp16 to +inf
        SafetensorsFile.Write(weights, half);
        var e = Assert.Throws<InvalidDataException>(() => GptNeoXCheckpoint.Load(folder));
        Assert.Contains("tensor 'embed_out.weight' holds 0 NaN and 1 infinite value(s)", e.Message);
    }

    [Fact]
    public void NaN_decision_states_stop_the_cache_at_the_shard_they_would_land_in()
    {
        var folder = Path.Combine(_dir, "train");
        using var writer = new ActivationShardWriter(folder, rowsPerShard: 4, shuffleSeed: null);
        using var good = ones(4, 3);
        writer.Append(good, [0, 1, 0, 1], [0, 1, 2, 3], [0, 1, 0, 1], null);
        using var bad = ones(2, 3);
        bad[1, 2] = float.NaN;
        var e = Assert.Throws<InvalidDataException>(() => writer.Append(bad, [0, 1], [4, 5], [0, 1], null));
        Assert.StartsWith($"{Path.Combine(folder, "activations", "1.safetensors")}: tensor 'activations' holds 1 NaN", e.Message);
        Assert.False(File.Exists(Path.Combine(folder, "activations", "1.safetensors")));
    }

    [Fact]
    public void A_NaN_shard_fails_in_every_reader_naming_the_shard()
    {
        var shard = WriteShards(nanInShard: 1);
        var e1 = Assert.Throws<InvalidDataException>(() => ActivationShards.ReadLabels(_dir));
        Assert.StartsWith($"{shard}: tensor 'activations' holds 1 NaN", e1.Message);
        var e2 = Assert.Throws<InvalidDataException>(() => ActivationShards.Read(_dir));
        Assert.StartsWith($"{shard}: tensor 'activations' holds 1 NaN", e2.Message);
        using var loader = new CachedActivationBatches(Path.Combine(_dir, "activations"), dIn: 3, batchSize: 2, rowsPerRead: 4, seed: 1);
        var e3 = Assert.Throws<InvalidDataException>(() => { for (var i = 0; i < 10; i++) loader.Next(); });
        Assert.StartsWith($"{shard}: tensor 'activations' holds 1 NaN", e3.Message);
    }

    [Fact]
    public void Finite_shards_still_read()
    {
        WriteShards(nanInShard: null);
        var (predicted, dIn) = ActivationShards.ReadLabels(_dir);
        Assert.Equal(3, dIn);
        Assert.Equal(8, predicted.Length);
    }

    [Fact]
    public void An_SAE_with_a_NaN_weight_is_refused_before_anything_is_written()
    {
        var dir = Path.Combine(_dir, "sae");
        using var sae = new TopKSae(new SaeShape(DIn: 8, DSae: 16, K: 3, NConcepts: 4, NbClasses: 3), seed: 9);
        using (no_grad()) sae.NamedTensors["b_enc"][5] = float.NaN;
        var e = Assert.Throws<InvalidDataException>(() =>
            SaeFolder.Save(dir, sae, new SaeProvenance("m", "blocks.5.hook_resid_pre"), new LossWeights(0.1, 0.1, 1, 0.1)));
        Assert.StartsWith($"{dir}: tensor 'b_enc' holds 1 NaN", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    /// <summary>Two shards of 4 rows [4, 1, 3+1] with a NaN state in one of them; returns that shard's path.</summary>
    private string WriteShards(int? nanInShard)
    {
        string? bad = null;
        for (var i = 0; i < 2; i++)
        {
            using var a = ones(4, 1, 4);
            a[.., 0, 3] = tensor(new float[] { 0, 1, 0, 1 });
            if (i == nanInShard) a[2, 0, 1] = float.NaN;
            var path = Path.Combine(_dir, "activations", $"{i}.safetensors");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["activations"] = a });
            var rows = Path.Combine(_dir, "rows", $"{i}.safetensors");
            Directory.CreateDirectory(Path.GetDirectoryName(rows)!);
            SafetensorsFile.Write(rows, new Dictionary<string, Tensor>
            {
                ["sentence_index"] = tensor(new long[] { 4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3 }),
                ["true_label"] = tensor(new long[] { 0, 1, 0, 1 }),
            });
            if (i == nanInShard) bad = path;
        }
        return bad ?? "";
    }
}

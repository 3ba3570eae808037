using ClassifSae.Formats;
using ClassifSae.SentenceEncoders.MiniLm;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.SentenceEncoders;

/// <summary>MiniLmEncoder against the independent double-precision reference, on a tiny random BERT folder.</summary>
public sealed class MiniLmParityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minilm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Lengths 3 to 64 ids (the last one truncated at max_seq_length), so rows carry different padding.</summary>
    private static readonly string[] Sentences =
    [
        "The cat sat on the mat.",
        "Hello world!",
        "Unbelievable, dogs ran.",
        "",
        "New-York stock market's $50 cafe is good",
        string.Join(" ", Enumerable.Repeat("the dog ran on a mat", 20)),
    ];

    private string Folder(string name = "tiny", bool normalizeModule = true) =>
        TinyBertFolder.Create(Path.Combine(_dir, name), normalizeModule: normalizeModule);

    private static double[][] Reference(MiniLmEncoder encoder, string folder, IEnumerable<string> texts)
    {
        var reference = new ReferenceBert(TinyBertFolder.Config, TinyBertFolder.WeightsPath(folder));
        return texts.Select(t => reference.Embed(encoder.Tokenizer.Encode(t))).ToArray();
    }

    private static void AssertRowsMatch(double[][] expected, Tensor actual, double tolerance)
    {
        Assert.Equal([expected.Length, TinyBertFolder.Config.HiddenSize], actual.shape);
        var got = actual.to(ScalarType.Float64).data<double>().ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = expected[i].Select((v, j) => Math.Abs(v - got[i * expected[i].Length + j])).Max();
            Assert.True(diff < tolerance, $"row {i}: max |diff| {diff:E2} ≥ {tolerance:E0}");
        }
    }

    [Fact]
    public void Embeddings_of_a_mixed_length_batch_match_the_double_precision_reference()
    {
        var folder = Folder();
        using var encoder = MiniLmEncoder.Load(folder);
        var lengths = Sentences.Select(s => encoder.Tokenizer.Encode(s).Length).ToArray();
        Assert.Equal([9, 5, 10, 2, 15, TinyBertFolder.MaxSeqLength], lengths);
        using var embeddings = encoder.Encode(Sentences);
        AssertRowsMatch(Reference(encoder, folder, Sentences), embeddings, 1e-4);
    }

    [Fact]
    public void Padding_does_not_change_an_embedding()
    {
        using var encoder = MiniLmEncoder.Load(Folder());
        using var batch = encoder.Encode(Sentences);
        for (var i = 0; i < Sentences.Length; i++)
        {
            using var alone = encoder.Encode([Sentences[i]]);
            var diff = (alone[0] - batch[i]).abs().max().item<float>();
            Assert.True(diff < 1e-5, $"sentence {i}: alone vs batched max |diff| {diff:E2}");
        }
    }

    [Fact]
    public void Texts_beyond_one_chunk_come_back_in_input_order()
    {
        var folder = Folder();
        using var encoder = MiniLmEncoder.Load(folder);
        var words = new[] { "the", "cat", "sat", "on", "a", "mat", "dog", "ran", "hello", "world", "stock", "market", "playing" };
        var random = new Random(7);
        // 75 texts: three chunks, lengths shuffled so the longest-first order differs from the input order.
        var texts = Enumerable.Range(0, 75).Select(_ => string.Join(" ", Enumerable.Range(0, random.Next(1, 20)).Select(_ => words[random.Next(words.Length)]))).ToArray();
        using var embeddings = encoder.Encode(texts);
        AssertRowsMatch(Reference(encoder, folder, texts), embeddings, 1e-4);
    }

    [Fact]
    public void Encode_returns_unit_float32_cpu_rows_of_hidden_width()
    {
        using var encoder = MiniLmEncoder.Load(Folder());
        using var e = encoder.Encode(Sentences);
        Assert.Equal(ScalarType.Float32, e.dtype);
        Assert.Equal(DeviceType.CPU, e.device_type);
        Assert.Equal([Sentences.Length, 32L], e.shape);
        using var norms = e.norm(1, keepdim: false);
        Assert.True(norms.allclose(ones(Sentences.Length), rtol: 0, atol: 1e-5), $"norms {string.Join(", ", norms.data<float>().ToArray())}");
        using var empty = encoder.Encode([]);
        Assert.Equal([0L, 32L], empty.shape);
    }

    [Fact]
    public void Without_a_Normalize_module_rows_are_still_the_normalised_mean()
    {
        var folder = Folder("no-normalize", normalizeModule: false);
        using var encoder = MiniLmEncoder.Load(folder);
        Assert.False(encoder.SentenceConfig.HasNormalizeModule);
        var reference = new ReferenceBert(TinyBertFolder.Config, TinyBertFolder.WeightsPath(folder));
        var mean = reference.MeanPooled(encoder.Tokenizer.Encode(Sentences[0]));
        // The raw mean is far from unit length, so this checks that normalisation really happened.
        Assert.True(Math.Abs(Math.Sqrt(mean.Sum(v => v * v)) - 1) > 0.1);
        using var e = encoder.Encode([Sentences[0]]);
        AssertRowsMatch([reference.Embed(encoder.Tokenizer.Encode(Sentences[0]))], e, 1e-4);
    }

    [Fact]
    public void Half_precision_weights_under_a_bert_prefix_load_as_fp32()
    {
        var folder = Folder("bf16");
        var path = TinyBertFolder.WeightsPath(folder);
        var tensors = SafetensorsFile.Read(path);
        var converted = tensors.ToDictionary(kv => "bert." + kv.Key, kv => kv.Value.is_floating_point() ? kv.Value.to(ScalarType.BFloat16) : kv.Value);
        SafetensorsFile.Write(path, converted);
        using var encoder = MiniLmEncoder.Load(folder);
        var reference = new ReferenceBert(TinyBertFolder.Config, path, stripPrefix: "bert.");
        using var e = encoder.Encode(Sentences);
        AssertRowsMatch(Sentences.Select(s => reference.Embed(encoder.Tokenizer.Encode(s))).ToArray(), e, 1e-4);
    }

    [Fact]
    public void Name_is_the_hub_id_inside_a_cache_snapshot_else_the_folder_name()
    {
        var snapshot = Path.Combine(_dir, "hub", "models--sentence-transformers--all-MiniLM-L6-v2", "snapshots", "c9745ed1d9f207416be6d2e6f8de32d1f16199bf");
        using (var cached = MiniLmEncoder.Load(TinyBertFolder.Create(snapshot)))
            Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", cached.Name);
        using var plain = MiniLmEncoder.Load(Folder("my-minilm") + "/");
        Assert.Equal("my-minilm", plain.Name);
    }

    [Fact]
    public void Encode_leaves_no_live_tensors_behind()
    {
        using var encoder = MiniLmEncoder.Load(Folder());
        static long Live() => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        encoder.Encode(Sentences).Dispose(); // warm-up
        var before = Live();
        for (var i = 0; i < 3; i++) encoder.Encode(Sentences).Dispose();
        Assert.Equal(before, Live());
    }
}

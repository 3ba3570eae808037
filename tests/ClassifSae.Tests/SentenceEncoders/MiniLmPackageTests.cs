using ClassifSae.Backbones;
using ClassifSae.SentenceEncoders.MiniLm;
using ClassifSae.Backbones.Packaged;
using static TorchSharp.torch;

namespace ClassifSae.Tests.SentenceEncoders;

/// <summary>One materialisation of the real all-MiniLM-L6-v2 from the NuGet package, shared by the tests (90 MB, a few seconds).</summary>
public sealed class MaterialisedMiniLm : IDisposable
{
    public string HubRoot { get; } = Directory.CreateTempSubdirectory("hub-").FullName;
    public string Snapshot { get; }

    public MaterialisedMiniLm() => Snapshot = MiniLmPackage.Materialise(HubRoot);

    public void Dispose() => Directory.Delete(HubRoot, recursive: true);
}

/// <summary>The package's ONNX initializers become the published Hugging Face folder, byte for byte, in the hub cache layout.</summary>
public sealed class MiniLmPackageTests(MaterialisedMiniLm minilm) : IClassFixture<MaterialisedMiniLm>
{
    [Fact]
    public void Model_safetensors_is_byte_identical_to_the_published_snapshot()
    {
        var weights = Path.Combine(minilm.Snapshot, "model.safetensors");
        using var stream = File.OpenRead(weights);
        Assert.Equal("53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
        Assert.Equal(90_868_376, new FileInfo(weights).Length);
    }

    [Fact]
    public void The_snapshot_is_where_the_hub_cache_lookup_finds_the_hub_id()
    {
        var repo = Path.Combine(minilm.HubRoot, "models--sentence-transformers--all-MiniLM-L6-v2");
        Assert.Equal(Path.Combine(repo, "snapshots", MiniLmPackage.Revision), minilm.Snapshot);
        Assert.Equal(MiniLmPackage.Revision, File.ReadAllText(Path.Combine(repo, "refs", "main")));
        Assert.Equal(minilm.Snapshot, HubCache.FindSnapshot(minilm.HubRoot, MiniLmPackage.RepoId));
        Assert.Empty(Directory.GetDirectories(Path.Combine(repo, "snapshots"), ".tmp-*"));
    }

    [Fact]
    public void Materialising_again_keeps_the_files_and_a_damaged_copy_is_rewritten()
    {
        var weights = Path.Combine(minilm.Snapshot, "model.safetensors");
        var written = File.GetLastWriteTimeUtc(weights);
        Assert.Equal(minilm.Snapshot, MiniLmPackage.Materialise(minilm.HubRoot));
        Assert.Equal(written, File.GetLastWriteTimeUtc(weights));
        using (var f = File.OpenWrite(weights)) { f.Position = 1000; f.WriteByte(0x42); }
        MiniLmPackage.Materialise(minilm.HubRoot);
        Assert.Equal(MiniLmPackage.ModelSha256, MiniLmPackage.Sha256(weights));
    }

    [Fact]
    public void The_real_encoder_ranks_a_paraphrase_above_an_unrelated_sentence()
    {
        using var encoder = MiniLmEncoder.Load(minilm.Snapshot);
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", encoder.Name);
        Assert.Equal(384, encoder.Dimension);
        using var e = encoder.Encode(["A man is eating food.", "A man is eating a piece of bread.", "The stock market fell sharply today."]);
        var paraphrase = (e[0] * e[1]).sum().item<float>();
        var unrelated = (e[0] * e[2]).sum().item<float>();
        // Random or mis-converted weights give near-equal similarities; the trained model separates them widely.
        Assert.True(paraphrase > 0.6f && unrelated < 0.2f, $"cos(paraphrase) {paraphrase:F3}, cos(unrelated) {unrelated:F3}");
    }
}

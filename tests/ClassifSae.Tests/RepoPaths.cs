namespace ClassifSae.Tests;

/// <summary>Locations inside the repository, found by walking up from the test binary to ClassifSae.sln.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Profiles => Path.Combine(Root, "build", "profiles");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ClassifSae.sln"))) return dir.FullName;
        throw new InvalidOperationException("ClassifSae.sln not found above the test binary");
    }
}

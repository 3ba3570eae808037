using System.Diagnostics;
using System.Reflection;
using ClassifSae.Runtime;

namespace ClassifSae.Pipeline;

/// <summary>Everything needed to say where a number came from: code version, library versions, device, dtype, threads, seed.</summary>
public sealed record Provenance
{
    public required string GitCommit { get; init; }
    public required string ClassifSaeVersion { get; init; }
    public required string TorchSharpVersion { get; init; }
    public required string LibTorchVersion { get; init; }
    public required string DotnetVersion { get; init; }
    public required string Os { get; init; }
    public required string Device { get; init; }
    public required string Dtype { get; init; }
    public required int Threads { get; init; }
    public required long Seed { get; init; }
    public required string Host { get; init; }

    /// <summary>The processor (see <see cref="Pipeline.CpuModel"/>); null in manifests of older builds or when unknown.</summary>
    public string? CpuModel { get; init; }

    public static Provenance Capture(string device, int threads, long seed, string dtype = "float32") => new()
    {
        GitCommit = GitCommitOrUnknown(),
        ClassifSaeVersion = typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        TorchSharpVersion = TorchRuntime.TorchSharpVersion,
        LibTorchVersion = TorchRuntime.LibTorchVersion,
        DotnetVersion = Environment.Version.ToString(),
        Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Device = device,
        Dtype = dtype,
        Threads = threads,
        Seed = seed,
        Host = Environment.MachineName,
        CpuModel = Pipeline.CpuModel.Describe(),
    };

    /// <summary>The checkout the running binary was built from (its folder's repository), else the current folder's.</summary>
    private static string RepositoryFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git"))) return dir.FullName;
        return Environment.CurrentDirectory;
    }

    private static string GitCommitOrUnknown()
    {
        try
        {
            var repo = RepositoryFolder();
            var psi = new ProcessStartInfo("git", ["-C", repo, "rev-parse", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return "unknown";
            var sha = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode != 0 || sha.Length < 7) return "unknown";
            var dirty = Process.Start(new ProcessStartInfo("git", ["-C", repo, "status", "--porcelain", "--untracked-files=no"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            var isDirty = dirty is not null && dirty.StandardOutput.ReadToEnd().Trim().Length > 0;
            dirty?.WaitForExit();
            return isDirty ? sha + "-dirty" : sha;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}

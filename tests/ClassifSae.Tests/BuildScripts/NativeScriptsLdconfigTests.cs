namespace ClassifSae.Tests.BuildScripts;

/// <summary>
/// The native set-up scripts read <c>ldconfig -p</c> under <c>set -euo pipefail</c>. With a listing larger than the
/// pipe buffer an early-exiting reader killed ldconfig with SIGPIPE and the build exited 141 without a word
/// (issue 12, item 1). A fake ldconfig on PATH prints a 4 MiB listing, making that failure certain before the fix
/// (exit 1 here rather than 141: the test host ignores SIGPIPE, so the writer fails with EPIPE instead).
/// </summary>
public sealed class NativeScriptsLdconfigTests : IDisposable
{
    private const int FillerBytes = 4 << 20;
    private readonly string _dir = Directory.CreateTempSubdirectory("ldconfig-fake-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void EnsureSystemPackages_ExitsZero_TwentyTimes_WithAFourMebibyteListing()
    {
        var env = FakeLdconfig(libHasNeededVersion: true, matchFirst: true);
        for (var i = 0; i < 20; i++)
        {
            var r = ScriptProcess.Run("build/native/ensure-system-packages.sh", env);
            Assert.True(r.ExitCode == 0, $"run {i + 1}: exit {r.ExitCode}: {r.Output}");
        }
    }

    [Fact]
    public void PrepareTorchNative_ExitsZero_TwentyTimes_WithAFourMebibyteListing()
    {
        var env = FakeLdconfig(libHasNeededVersion: true, matchFirst: true);
        var output = OutputWithFakeTorchLibrary();
        for (var i = 0; i < 20; i++)
        {
            var r = ScriptProcess.Run("build/native/prepare-torch-native.sh", env, output);
            Assert.True(r.ExitCode == 0, $"run {i + 1}: exit {r.ExitCode}: {r.Output}");
        }
        Assert.Equal("not an ELF file", File.ReadAllText(Path.Combine(output, "libLibTorchSharp.so")));
    }

    [Fact]
    public void PrepareTorchNative_ChecksTheLibraryListedByLdconfig_EvenAfterMebibytesOfOtherEntries()
    {
        // The listed libstdc++ lacks GLIBCXX_3.4.32, so the script must try (and, on this fake library, fail) to patch:
        // proof that it read the listing to its last line instead of falling back to the system library.
        var env = FakeLdconfig(libHasNeededVersion: false, matchFirst: false);
        var r = ScriptProcess.Run("build/native/prepare-torch-native.sh", env, OutputWithFakeTorchLibrary());
        Assert.NotEqual(0, r.ExitCode);
        Assert.NotEqual(141, r.ExitCode);
    }

    private Dictionary<string, string> FakeLdconfig(bool libHasNeededVersion, bool matchFirst)
    {
        var lib = Path.Combine(_dir, "libstdc++.so.6");
        File.WriteAllText(lib, libHasNeededVersion ? "...GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0..." : "...GLIBCXX_3.4.30\0...");
        var match = $"\tlibstdc++.so.6 (libc6,x86-64) => {lib}\n";
        var listing = Path.Combine(_dir, "listing.txt");
        using (var w = new StreamWriter(listing))
        {
            w.Write("1234 libs found in cache `/etc/ld.so.cache'\n");
            if (matchFirst) w.Write(match);
            for (var written = 0; written < FillerBytes;)
            {
                var line = $"\tlibfiller{written}.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libfiller{written}.so.1\n";
                w.Write(line);
                written += line.Length;
            }
            if (!matchFirst) w.Write(match);
        }
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var fake = Path.Combine(bin, "ldconfig");
        File.WriteAllText(fake, $"#!/bin/sh\nexec cat '{listing}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };
    }

    private string OutputWithFakeTorchLibrary()
    {
        var output = Directory.CreateDirectory(Path.Combine(_dir, "out")).FullName;
        File.WriteAllText(Path.Combine(output, "libLibTorchSharp.so"), "not an ELF file");
        return output;
    }
}

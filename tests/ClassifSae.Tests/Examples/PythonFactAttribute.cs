using System.Diagnostics;

namespace ClassifSae.Tests.Examples;

/// <summary>
/// A fact that needs Debian's python3 with numpy and pandas (installed by the Test target's
/// build/native/ensure-python-packages.sh). Without them the test is reported as skipped, with the reason — never as passed.
/// </summary>
public sealed class PythonFactAttribute : FactAttribute
{
    /// <summary>Debian's interpreter, not a pyenv shim: the apt packages live in its dist-packages.</summary>
    public const string Interpreter = "/usr/bin/python3";

    public static bool Available { get; } = Probe();

    public PythonFactAttribute()
    {
        if (!Available) Skip = $"{Interpreter} with numpy and pandas not found (apt-get install python3-numpy python3-pandas, or run ./build.sh --target Test as root)";
    }

    private static bool Probe()
    {
        if (!File.Exists(Interpreter)) return false;
        using var p = Process.Start(new ProcessStartInfo(Interpreter, ["-c", "import numpy, pandas"]) { RedirectStandardError = true });
        p!.WaitForExit();
        return p.ExitCode == 0;
    }
}

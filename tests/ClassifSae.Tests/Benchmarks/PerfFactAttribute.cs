using ClassifSae.Benchmarks.Profiling;

namespace ClassifSae.Tests.Benchmarks;

/// <summary>
/// A fact that needs Linux perf (Debian's linux-perf, installed by build/native/ensure-python-packages.sh when root).
/// Without it the test is reported as skipped, with the reason — never as passed.
/// </summary>
public sealed class PerfFactAttribute : FactAttribute
{
    private static readonly (PerfRecorder? Recorder, string Why) Found = PerfRecorder.Find(Path.Combine(Path.GetTempPath(), "classifsae-perf-tests"));

    public static PerfRecorder? Recorder => Found.Recorder;

    public PerfFactAttribute()
    {
        if (Found.Recorder is null) Skip = Found.Why;
    }
}

using System.Diagnostics;

namespace ClassifSae.Benchmarks.Profiling;

/// <summary>
/// Samples this very process with Linux `perf` while an action runs (TorchSharp exposes no op-level profiler, and
/// perf sees libtorch's kernels, the BLAS, OpenMP and the runtime alike). perf attaches to our pid, so only the
/// measured repeat is recorded, not the set-up.
/// </summary>
public sealed class PerfRecorder(string perfPath, string workFolder, int frequencyHz = 999)
{
    private static readonly TimeSpan AttachDelay = TimeSpan.FromMilliseconds(400);

    /// <summary>The recorder when `perf` runs here, or null with the reason (missing tool, kernel settings).</summary>
    public static (PerfRecorder? Recorder, string Why) Find(string workFolder)
    {
        try
        {
            var (code, output) = Run("perf", "--version", TimeSpan.FromSeconds(10));
            return code == 0
                ? (new PerfRecorder("perf", workFolder), output.Trim())
                : (null, $"`perf --version` exited with {code}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "`perf` is not installed (Debian: apt-get install linux-perf)");
        }
    }

    public OpProfile Profile(string caseName, Action measured)
    {
        Directory.CreateDirectory(workFolder);
        var data = Path.Combine(workFolder, $"perf-{caseName}.data");
        var psi = new ProcessStartInfo(perfPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "record", "-F", frequencyHz.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", data, "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        using var perf = Process.Start(psi) ?? throw new InvalidOperationException("perf did not start");
        var stderr = perf.StandardError.ReadToEndAsync();
        Thread.Sleep(AttachDelay);
        if (perf.HasExited)
            throw new InvalidOperationException($"perf record exited at once: {stderr.Result.Trim()} (kernel.perf_event_paranoid may forbid it)");
        try
        {
            measured();
        }
        finally
        {
            // SIGINT makes perf flush and close its data file; a kill would leave it truncated.
            Run("kill", $"-INT {perf.Id}", TimeSpan.FromSeconds(10));
            if (!perf.WaitForExit(TimeSpan.FromSeconds(60))) perf.Kill();
        }
        var (code, report) = Run(perfPath, $"report -i {data} --stdio --no-children --sort dso,sym -g none -t ;", TimeSpan.FromMinutes(5));
        if (code != 0) throw new InvalidOperationException($"perf report exited with {code} for {data}");
        var samples = SampleCount(report);
        File.Delete(data);
        return OpProfile.From(caseName, samples, PerfReportParser.Parse(report));
    }

    /// <summary>perf report's header says "# Samples: 8K of event 'cpu-clock'"; the exact count is only an estimate there.</summary>
    private static int SampleCount(string report)
    {
        foreach (var line in report.Split('\n'))
        {
            if (!line.StartsWith("# Samples: ", StringComparison.Ordinal)) continue;
            var token = line["# Samples: ".Length..].Split(' ')[0];
            var scale = token.EndsWith('K') ? 1000 : token.EndsWith('M') ? 1_000_000 : 1;
            if (double.TryParse(token.TrimEnd('K', 'M'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
                return (int)(n * scale);
        }
        return 0;
    }

    private static (int Code, string Output) Run(string file, string arguments, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var output = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(); throw new InvalidOperationException($"{file} {arguments} took over {timeout.TotalSeconds:F0} s"); }
        return (p.ExitCode, output.Result);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ClassifSae.Benchmarks;

/// <summary>One case measured by build/tools/bench_torch.py: PyTorch running the same work at the same shape and threads.</summary>
public sealed record PyTorchMeasurement(double MedianSeconds, double MinSeconds, double FlopsPerIteration, double CeilingGflops,
    string TorchVersion, int Threads, string Blas);

/// <summary>
/// The PyTorch side of the Bench: runs <c>build/tools/bench_torch.py --case NAME</c> in its own process right after our
/// measurement of that case (interleaved, so both see the same machine load) and reads its JSON. What users would run
/// instead of us is PyTorch, so each case also reports speed relative to it.
/// </summary>
public sealed class PyTorchReference(string python, string script, TimeSpan timeout)
{
    public string Python { get; } = python;
    public string Script { get; } = script;
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>n of the script's n³ fp32 matmul ceiling (256 for the quick suite, as ours).</summary>
    public int CeilingSize { get; init; } = 2048;

    /// <summary>
    /// The interpreter (<c>CLASSIFSAE_PYTHON</c>, else Debian's /usr/bin/python3, else python3 on PATH) when it imports torch
    /// and the script exists under <paramref name="repoRoot"/>; null (and why) otherwise.
    /// </summary>
    public static (PyTorchReference? Reference, string Why) Find(string repoRoot, TimeSpan? timeout = null)
    {
        var script = Path.Combine(repoRoot, "build", "tools", "bench_torch.py");
        if (!File.Exists(script)) return (null, $"{script} not found");
        var candidates = new[] { Environment.GetEnvironmentVariable("CLASSIFSAE_PYTHON"), "/usr/bin/python3", "python3" }
            .Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!);
        foreach (var python in candidates)
        {
            var (code, _, _) = RunProcess(python, ["-c", "import torch"], TimeSpan.FromSeconds(60));
            if (code == 0) return (new PyTorchReference(python, script, timeout ?? TimeSpan.FromMinutes(5)), "");
        }
        return (null, "no python3 that imports torch (Debian: apt-get install python3-torch; or set CLASSIFSAE_PYTHON)");
    }

    /// <summary>Whether the script has a twin of <paramref name="caseName"/> (the dense-decoder references have none).</summary>
    public bool Covers(string caseName) => !caseName.EndsWith("_dense_reference", StringComparison.Ordinal);

    public PyTorchMeasurement Measure(string caseName, int threads, int warmup, int repetitions)
    {
        var (code, stdout, stderr) = RunProcess(Python, [Script, "--case", caseName, "--threads", threads.ToString(CultureInfo.InvariantCulture),
            "--warmup", warmup.ToString(CultureInfo.InvariantCulture), "--repetitions", repetitions.ToString(CultureInfo.InvariantCulture),
            "--ceiling-size", CeilingSize.ToString(CultureInfo.InvariantCulture)], Timeout);
        if (code != 0)
            throw new InvalidOperationException($"bench_torch.py --case {caseName} exited {code}: {LastLine(stderr)}");
        var json = JsonDocument.Parse(stdout.Trim()).RootElement;
        return new PyTorchMeasurement(json.GetProperty("median_seconds").GetDouble(), json.GetProperty("min_seconds").GetDouble(),
            json.GetProperty("flops_per_iteration").GetDouble(), json.GetProperty("ceiling_gflops").GetDouble(),
            json.GetProperty("torch").GetString() ?? "?", json.GetProperty("threads").GetInt32(), json.GetProperty("blas").GetString() ?? "?");
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    private static (int Code, string Stdout, string Stderr) RunProcess(string file, string[] args, TimeSpan timeout)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                return (-1, "", $"timed out after {timeout.TotalSeconds:F0} s");
            }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }
}

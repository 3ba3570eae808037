using System.Text.Json;
using ClassifSae.Pipeline;
using ClassifSae.Results;

namespace ClassifSae.Benchmarks;

/// <summary>
/// Writes a Bench run to the results store: one run with profile "bench", one metric row per (case, metric) with
/// method = the case name (gflops, ratio_to_matmul_ceiling, peak_memory_mb, median_seconds, flops_per_iteration, and any
/// extra metric of the case, e.g. ablation_cost_ratio).
/// </summary>
public static class BenchStore
{
    public const string Stage = "bench";

    public static string Record(ResultsStore store, BenchEnvironment env, IReadOnlyList<BenchResult> results, DateTime startedAt)
    {
        var device = BenchDevice.Current.type.ToString().ToLowerInvariant();
        var p = Provenance.Capture(device, env.IntraOpThreads, seed: 0);
        var runId = $"bench-{startedAt:yyyyMMddTHHmmssZ}";
        var config = JsonSerializer.Serialize(new { env.IntraOpThreads, env.InterOpThreads, env.LogicalCores, cases = results.Select(r => r.Name) });
        var run = new RunRecord(runId, "bench", "pythia-shapes", "synthetic", null, 0, config,
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(config)))[..16].ToLowerInvariant(),
            p.GitCommit,
            JsonSerializer.Serialize(new { classifsae = p.ClassifSaeVersion, torchsharp = p.TorchSharpVersion, libtorch = p.LibTorchVersion, dotnet = p.DotnetVersion, os = p.Os }),
            device, "float32", env.IntraOpThreads, startedAt, p.CpuModel);
        var rows = new List<MetricRow>();
        foreach (var r in results.Where(r => double.IsFinite(r.MedianSeconds)))
        {
            void Add(string metric, double value) => rows.Add(new MetricRow(runId, Stage, "pythia-shapes", "synthetic", r.Name, 0, r.Dtype, metric, value));
            Add("gflops", r.Gflops);
            Add("ratio_to_matmul_ceiling", r.Ratio);
            Add("peak_memory_mb", r.PeakMemoryMb);
            Add("median_seconds", r.MedianSeconds);
            Add("flops_per_iteration", r.FlopsPerIteration);
            foreach (var m in r.Extra) Add(m.Metric, m.Value);
            if (r.PyTorch is { } t)
            {
                Add("pytorch_median_seconds", t.MedianSeconds);
                Add("pytorch_matmul_ceiling_gflops", t.CeilingGflops);
                Add("speed_vs_pytorch", r.SpeedVsPyTorch);
            }
        }
        store.RecordRunWithMetrics(run, rows); // one transaction: a killed Bench leaves no run without its numbers
        return runId;
    }
}

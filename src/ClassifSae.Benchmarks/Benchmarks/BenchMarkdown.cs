using System.Globalization;
using System.Text;

namespace ClassifSae.Benchmarks;

/// <summary>The Bench results as a Markdown table (the README's "Performance" section is pasted from it).</summary>
public static class BenchMarkdown
{
    public static string Format(BenchEnvironment env, IReadOnlyList<BenchResult> results, string command)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"Measured by `{command}` on {env.LogicalCores} logical cores, intra-op threads {env.IntraOpThreads}, inter-op threads {env.InterOpThreads}.");
        sb.AppendLine("Ratios divide achieved FLOP/s by a square matmul of the same dtype measured in the same process, right before and after the case (the machine is shared, so the ceiling drifts).");
        sb.AppendLine(env.PerCasePeak ? "Peak memory is the process's resident peak (VmHWM) during the case, reset before it." : "Peak memory is the process's lifetime peak working set.");
        var torch = results.Select(r => r.PyTorch).FirstOrDefault(t => t is not null);
        sb.AppendLine(torch is null
            ? "PyTorch was not measured (no python3 with torch, or --no-pytorch)."
            : string.Create(ci, $"PyTorch {torch.TorchVersion} (build/tools/bench_torch.py, BLAS {torch.Blas}, {torch.Threads} threads, its own fp32 ceiling {torch.CeilingGflops:F1} GFLOP/s) ran each case right after ours; \"× PyTorch\" is its median time over ours (above 1: we are faster)."));
        sb.AppendLine();
        sb.AppendLine("| case | shape | dtype | median ms | GFLOP/s | ceiling GFLOP/s | ratio to ceiling | PyTorch ms | × PyTorch | throughput | peak MB | FLOP count | notes |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in results)
        {
            sb.AppendLine(ci, $"| {r.Name} | {r.Shape} | {r.Dtype} | {r.MedianSeconds * 1e3:F1} | {r.Gflops:F1} | {r.CeilingGflops:F1} | {r.Ratio:P0} | {(r.PyTorch is null ? "—" : (r.PyTorch.MedianSeconds * 1e3).ToString("F1", ci))} | {(r.PyTorch is null ? "—" : r.SpeedVsPyTorch.ToString("F2", ci))} | {r.Throughput} | {r.PeakMemoryMb:F0} | {r.FlopFormula} | {r.Notes} |");
        }
        foreach (var r in results.Where(r => r.Profile is not null))
        {
            sb.AppendLine();
            sb.Append(r.Profile!.ToMarkdown());
        }
        return sb.ToString();
    }
}

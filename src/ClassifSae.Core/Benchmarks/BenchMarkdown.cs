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
        sb.AppendLine();
        sb.AppendLine("| case | shape | dtype | median ms | GFLOP/s | ceiling GFLOP/s | ratio to ceiling | throughput | peak MB | FLOP count | notes |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in results)
        {
            sb.AppendLine(ci, $"| {r.Name} | {r.Shape} | {r.Dtype} | {r.MedianSeconds * 1e3:F1} | {r.Gflops:F1} | {r.CeilingGflops:F1} | {r.Ratio:P0} | {r.Throughput} | {r.PeakMemoryMb:F0} | {r.FlopFormula} | {r.Notes} |");
        }
        return sb.ToString();
    }
}

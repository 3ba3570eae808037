using System.Globalization;

namespace ClassifSae.Benchmarks.Profiling;

/// <summary>
/// Reads `perf report --stdio --no-children --sort dso,sym -g none -t ';'` output: lines like
/// <c> 19.71% ;libtorch_cpu.so   ;[.] mkl_blas_avx512_sgemm_kernel_0</c>. Comment and blank lines are skipped.
/// </summary>
public static class PerfReportParser
{
    public static IReadOnlyList<PerfSymbolShare> Parse(string report)
    {
        var shares = new List<PerfSymbolShare>();
        foreach (var raw in report.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(';', 3);
            if (fields.Length < 3) continue;
            var percent = fields[0].Trim().TrimEnd('%');
            if (!double.TryParse(percent, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            var symbol = fields[2].Trim();
            // "[.] name" is user space, "[k] name" the kernel: keep the marker's meaning in the library column.
            var library = fields[1].Trim();
            if (symbol.StartsWith("[k] ", StringComparison.Ordinal)) library = "[kernel]";
            if (symbol.Length > 4 && symbol[0] == '[' && symbol[2] == ']') symbol = symbol[4..];
            shares.Add(new PerfSymbolShare(value, library, symbol));
        }
        return shares;
    }
}

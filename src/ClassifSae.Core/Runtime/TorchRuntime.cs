using static TorchSharp.torch;

namespace ClassifSae.Runtime;

/// <summary>Process-wide TorchSharp settings made explicit (threads, seed, device) so runs are reproducible and logged.</summary>
public static class TorchRuntime
{
    /// <summary>Resolves <c>cpu</c>, <c>cuda</c> or <c>auto</c> to a device; <c>cuda</c> fails clearly on a CPU-only build.</summary>
    public static Device ResolveDevice(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new InvalidOperationException(
            "--device cuda: CUDA is not available (this build uses TorchSharp-cpu; rebuild with ./build.sh --cuda on a machine with TorchSharp-cuda-linux)"),
        "auto" => cuda.is_available() ? CUDA : CPU,
        _ => throw new ArgumentException($"--device: unknown device '{name}' (expected cpu, cuda or auto)"),
    };

    /// <summary>Sets intra-op threads (0 = all cores) and a single inter-op thread; returns the count in force.</summary>
    public static int ConfigureThreads(int threads)
    {
        var n = threads > 0 ? threads : Environment.ProcessorCount;
        set_num_threads(n);
        return get_num_threads();
    }

    public static void Seed(long seed)
    {
        manual_seed(seed);
        if (cuda.is_available()) cuda.manual_seed_all(seed);
    }

    public static string LibTorchVersion => "2.10.0";

    public static string TorchSharpVersion =>
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown";
}

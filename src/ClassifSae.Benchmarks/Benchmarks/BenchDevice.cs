using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// The device a Bench run measures on (<c>classifsae bench --device</c>), set once before the cases are built. On an
/// accelerator kernels run asynchronously, so every timed iteration ends with <see cref="Synchronize"/>: the clock must
/// stop when the work is done, not when it was queued.
/// </summary>
public static class BenchDevice
{
    public static Device Current { get; set; } = CPU;

    public static bool IsAccelerator => Current.type != TorchSharp.DeviceType.CPU;

    public static void Synchronize()
    {
        if (Current.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(Current);
    }
}

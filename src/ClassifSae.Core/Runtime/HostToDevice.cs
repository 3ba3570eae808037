using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Runtime;

/// <summary>
/// Moves a host batch to the training device the way a CUDA data loader does (PyTorch's DataLoader with pin_memory=True):
/// page-locked host memory from libtorch's caching host allocator, then an asynchronous copy, so the transfer overlaps the
/// previous step's kernels instead of stalling on a pageable staging copy. On the CPU nothing is copied.
/// </summary>
public static class HostToDevice
{
    public static Tensor Move(Tensor host, Device device)
    {
        if (device.type == host.device_type && (device.type == DeviceType.CPU || device.index == host.device_index)) return host.alias();
        if (!PinsFor(host, device)) return host.to(device);
        using var pinned = host.is_pinned() ? host.alias() : host.pin_memory();
        return pinned.to(device, non_blocking: true);
    }

    /// <summary>Pinning pays off only from CPU memory into a CUDA device.</summary>
    public static bool PinsFor(Tensor host, Device device) => host.device_type == DeviceType.CPU && device.type == DeviceType.CUDA;
}

using ClassifSae.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Runtime;

public class HostToDeviceTests
{
    [Fact]
    public void Only_host_to_cuda_transfers_are_pinned()
    {
        using var host = ones(4, 3);
        Assert.True(HostToDevice.PinsFor(host, new Device(DeviceType.CUDA, 0)));
        Assert.False(HostToDevice.PinsFor(host, CPU));
        Assert.False(HostToDevice.PinsFor(host, new Device(DeviceType.MPS)));
    }

    [Fact]
    public void On_the_cpu_the_batch_is_neither_copied_nor_pinned()
    {
        using var host = arange(12, dtype: ScalarType.Float32).view(4, 3);
        using var moved = HostToDevice.Move(host, CPU);
        Assert.Equal(host.data<float>().ToArray(), moved.data<float>().ToArray());
        moved.add_(1);                                      // the same memory: no staging copy on the CPU path
        Assert.Equal(1f, host[0, 0].item<float>());
        Assert.False(moved.is_pinned());
    }
}

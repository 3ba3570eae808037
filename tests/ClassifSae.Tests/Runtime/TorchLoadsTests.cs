using static TorchSharp.torch;

namespace ClassifSae.Tests.Runtime;

public class TorchLoadsTests
{
    [Fact]
    public void A_matmul_runs_and_gives_the_known_answer()
    {
        // Proves the native library loads on this machine (on Debian 12 only after the build's patch).
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var c = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }
}

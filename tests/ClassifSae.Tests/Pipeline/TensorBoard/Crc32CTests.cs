using System.Text;
using ClassifSae.Pipeline.TensorBoard;

namespace ClassifSae.Tests.Pipeline.TensorBoard;

/// <summary>CRC-32C against the published check values (the iSCSI polynomial's "123456789" check, RFC 3720 B.4 vectors).</summary>
public sealed class Crc32CTests
{
    [Fact]
    public void Matches_the_published_check_values()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0x00000000u, Crc32C.Compute([]));
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void The_mask_rotates_right_by_15_and_adds_the_tfrecord_constant()
    {
        // rotr(0xE3069283, 15) = 0x2507C60D; + 0xA282EAD8 = 0xC78AB0E5 (mod 2^32)
        Assert.Equal(0xC78AB0E5u, Crc32C.Masked(Encoding.ASCII.GetBytes("123456789")));
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

internal static class TensorTestExtensions
{
    /// <summary>Same shape and exactly the same elements.</summary>
    public static bool IsEqual(this Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}

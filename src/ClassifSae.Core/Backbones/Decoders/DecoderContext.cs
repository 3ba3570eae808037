using static TorchSharp.torch;

namespace ClassifSae.Backbones.Decoders;

/// <summary>
/// What every block of one forward shares: the rotary cos/sin of the batch's positions ([B, 1, T, r], the family's layout)
/// and the boolean attention mask [B, 1, T, T] (true = may attend), or null for the plain causal case.
/// </summary>
public sealed record DecoderContext(Tensor Cos, Tensor Sin, Tensor? Mask) : IDisposable
{
    public void Dispose()
    {
        Cos.Dispose();
        Sin.Dispose();
        Mask?.Dispose();
    }
}

using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// The k active units of each row: <see cref="Indices"/> [B,k] int64 and <see cref="Values"/> [B,k] = ReLU of the
/// selected pre-activations (with gradient). Z is these values scattered into [B,d_sae]; decoding from the codes reads
/// only k rows of W_dec per sample instead of multiplying by a mostly-zero Z.
/// </summary>
public sealed record TopKCodes(Tensor Indices, Tensor Values);
